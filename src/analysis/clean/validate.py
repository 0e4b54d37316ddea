"""Validate parsed figures with pandera, collecting every failure rather than stopping at the first.

Each check carries the column it is about and the sentence an analyst reads in rejects.csv (with
the rank's N and the plausible range filled in); the row-level failures pandera reports are turned
into {row index: (column, reasons)}. Ranks fit the provinces of their year (63; 64 to 2008, while
Hà Tây existed; 34 from 2025; fewer when the source says "rank /30"); values fit the catalogue's
possible range (min, max) and its plausible range (min_value, max_value).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from analysis import indicators, numbers, periods, provinces


def _catalogue_column(df: pd.DataFrame, attr: str) -> pd.Series:
    cat = indicators.catalogue()
    return df["indicator"].map(lambda k: getattr(cat[k], attr) if k in cat else None)


def _known_in_regime(df: pd.DataFrame) -> pd.Series:
    codes = {r: {p.code for p in provinces.all_provinces(r)} for r in ("63", "34")}
    in_force = df["year"].map(provinces.regime_for_year)
    known = [c in codes.get(r, set()) for c, r in zip(df["province_code"], df["regime"], strict=True)]
    return pd.Series(known, index=df.index) & (df["regime"] == in_force)


def _unit_matches(df: pd.DataFrame) -> pd.Series:
    return df["unit"] == _catalogue_column(df, "unit")


def _within_indicator_range(df: pd.DataFrame) -> pd.Series:
    """Scores within their scale (PCI sub-index 0–10, DTI 0–1 …), counts not negative; ranks apart."""
    lo = pd.to_numeric(_catalogue_column(df, "min"), errors="coerce")
    hi = pd.to_numeric(_catalogue_column(df, "max"), errors="coerce")
    ok = (lo.isna() | (df["value"] >= lo)) & (hi.isna() | (df["value"] <= hi))
    return ok | (df["unit"] == "rank")


def _percent_in_range(df: pd.DataFrame) -> pd.Series:
    return (df["unit"] != "percent") | df["value"].between(0, 100)


def ranked_that_year(df: pd.DataFrame) -> pd.Series:
    """How many provinces a rank can run to: the regime's count (63; 64 while Hà Tây existed, to
    2008; 34 from 2025), or fewer when the source states "rank /N" with a smaller N."""
    n_regime = df["regime"].map({r: len(provinces.all_provinces(r)) for r in ("63", "34")})
    # Until Hà Tây joined Hà Nội (2008-08-01) there were 64 provinces, and PCI 2006–2008 ranked 64.
    n_regime = n_regime.where(~((df["regime"] == "63") & (df["year"] <= 2008)), 64)
    stated = pd.to_numeric(df["rank_of"], errors="coerce") if "rank_of" in df else pd.Series(pd.NA, df.index)
    return stated.where(stated < n_regime, n_regime).fillna(n_regime)


def _rank_in_range(df: pd.DataFrame) -> pd.Series:
    n = ranked_that_year(df)
    whole = df["value"] == df["value"].round()
    return (df["unit"] != "rank") | (whole & (df["value"] >= 1) & (df["value"] <= n))


def _plausible(df: pd.DataFrame) -> pd.Series:
    """Within the catalogue's plausible range (min_value/max_value), where it gives one."""
    lo = pd.to_numeric(_catalogue_column(df, "min_value"), errors="coerce")
    hi = pd.to_numeric(_catalogue_column(df, "max_value"), errors="coerce")
    return (lo.isna() | (df["value"] >= lo)) & (hi.isna() | (df["value"] <= hi))


def _period_fits(df: pd.DataFrame) -> pd.Series:
    """The period is written one way, its kind matches it, and it contains the filing year."""
    if "period" not in df:
        return pd.Series(True, index=df.index)

    def fits(text: object, kind: object, year: object) -> bool:
        try:
            period = periods.parse_period(str(text))
        except periods.PeriodError:
            return False
        return period.text == text and period.kind == kind and period.covers(int(year))  # type: ignore[call-overload]

    ok = [fits(*t) for t in zip(df["period"], df["period_kind"], df["year"], strict=True)]
    return pd.Series(ok, index=df.index)


# name: (check, column it is about, message); the message may use {value}, {n}, {lo}, {hi}, {year}.
CHECKS = {
    "province_in_regime": (
        _known_in_regime,
        "province",
        "province is not one of the provinces in force that year (63 before 2025, 34 from 2025)",
    ),
    "unit_matches": (_unit_matches, "unit", "unit does not match the indicator's catalogue unit"),
    "percent_range": (_percent_in_range, "value", "percent outside 0–100"),
    "rank_range": (
        _rank_in_range,
        "value",
        "rank {value:g} is not a whole number within 1–{n} ({n} provinces ranked in {year})",
    ),
    "indicator_range": (_within_indicator_range, "value", "value outside the indicator's possible range"),
    "period_fits": (
        _period_fits,
        "period",
        "period is not one of the written forms (2024, 2022-2025, 2024-Q1, 2023-01/2023-06, 2024-01-22), "
        "or does not contain the year {year}",
    ),
    "plausible_range": (
        _plausible,
        "value",
        "value {value:g} outside the plausible range {lo}–{hi} of the catalogue (min_value, max_value)",
    ),
}


def schema() -> pa.DataFrameSchema:
    """The clean table's schema; the catalogue and the province registry give the allowed values."""
    return pa.DataFrameSchema(
        {
            "province_code": pa.Column(str, pa.Check.str_matches(r"^\d{2}$"), nullable=False),
            "regime": pa.Column(str, pa.Check.isin(["63", "34"])),
            "year": pa.Column(int, pa.Check.in_range(1990, 2100)),
            "indicator": pa.Column(str, pa.Check.isin(list(indicators.catalogue()))),
            "value": pa.Column(float, pa.Check(lambda s: s.notna() & s.abs().lt(float("inf")))),
            "unit": pa.Column(str, pa.Check.isin(list(indicators.UNITS))),
            "qualifier": pa.Column(str, pa.Check.isin(list(numbers.QUALIFIERS))),
            "precision": pa.Column(int, pa.Check.ge(0), required=False),
            "period": pa.Column(str, pa.Check.str_length(min_value=4), required=False),
            "period_kind": pa.Column(str, pa.Check.isin(list(periods.PERIOD_KINDS)), required=False),
            "scale": pa.Column(int, pa.Check.isin([0, *numbers.SCALE_EXPONENTS]), required=False),
            "source": pa.Column(str, pa.Check.str_length(min_value=1)),
        },
        checks=[pa.Check(fn, name=name, error=msg) for name, (fn, _, msg) in CHECKS.items()],
        strict=False,
        coerce=True,
    )


def validate_figures(df: pd.DataFrame) -> dict[int, tuple[str, str]]:
    """Row index → (column, every reason it fails the schema); empty when all rows pass."""
    try:
        schema().validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        return _reasons(exc.failure_cases, df)
    return {}


def _message(check: str, i: int, df: pd.DataFrame) -> str:
    _, _, text = CHECKS[check]
    if "{" not in text:
        return text
    ind = indicators.catalogue().get(df.at[i, "indicator"])
    n = ranked_that_year(df.loc[[i]]).iloc[0]

    def fmt(x: float | None) -> str:
        return "" if x is None else f"{x:,.15g}"

    return text.format(
        value=df.at[i, "value"],
        n=int(n) if pd.notna(n) else "N",
        year=df.at[i, "year"],
        lo=fmt(ind.min_value if ind else None),
        hi=fmt(ind.max_value if ind else None),
    )


def _reasons(cases: pd.DataFrame, df: pd.DataFrame) -> dict[int, tuple[str, str]]:
    out: dict[int, list[str]] = {}
    columns: dict[int, str] = {}
    by_text = {msg: name for name, (_, _, msg) in CHECKS.items()}  # pandera reports a check by its error
    for case in cases.to_dict("records"):
        idx = case.get("index")
        if idx is None or pd.isna(idx):
            continue
        i = int(idx)
        check = str(case.get("check", ""))
        check = by_text.get(check, check)
        column = case.get("column")
        if check in CHECKS:
            text, col = _message(check, i, df), CHECKS[check][1]
        else:
            col = column if isinstance(column, str) else ""
            text = f"{col or 'row'} {case.get('failure_case')!r} fails {check}"
        columns.setdefault(i, col)
        out.setdefault(i, [])
        if text not in out[i]:
            out[i].append(text)
    return {i: (columns[i], "; ".join(r) + f" (value {df.at[i, 'value']:g})") for i, r in out.items()}
