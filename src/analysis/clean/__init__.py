"""Stage 2: figure sheets and imported workbooks into one validated table, with rejects and a manifest."""
