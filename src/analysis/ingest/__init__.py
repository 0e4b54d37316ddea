"""Stage 1: read publishers' index workbooks (cells, header words, province tables) into figures."""
