"""evaluate's accounting, table-driven, each case worked by hand in its comment:
availability from outages (midnight, maintenance, holidays, DST, overlaps),
incidents in business time, and the credits (tiers, per, consecutive, cap).
A property test checks that measurements derived from events owe what the
events owe."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from conftest import PARTIES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sla_lang.evaluate import evaluate_files
from sla_lang.evaluate.report import amount_text, by_text
from sla_lang.values import Duration, Percent


def sla(service: str, credits: str = "", effective: str = "2026-01-01", expires: str = "2028-12-31") -> str:
    return PARTIES + (
        f'sla shop "Shop" {{\n provider: it_org\n customer: acme\n version: "1"\n'
        f" effective: {effective}\n expires: {expires}\n{service}\n{credits}\n}}\n"
    )


def evaluate(tmp_path, agreements: str, events: str = "", measurements: str = "", period=None):
    (tmp_path / "shop.sla").write_text(agreements, encoding="utf-8")
    paths = {}
    if events:
        paths["events"] = tmp_path / "events.csv"
        paths["events"].write_text("kind,agreement,service,start,end,priority,responded,resolved\n" + events)
    if measurements:
        paths["measurements"] = tmp_path / "measurements.csv"
        paths["measurements"].write_text("agreement,service,objective,window_start,value\n" + measurements)
    return evaluate_files(
        [str(tmp_path / "shop.sla")],
        str(paths["measurements"]) if "measurements" in paths else None,
        str(paths["events"]) if "events" in paths else None,
        period,
        5 << 20,
    )


def results_of(evaluation, objective: str = "availability") -> dict[str, object]:
    """window start date -> the WindowResult of `objective`."""
    return {str(r.start.date()): r for r in evaluation.results if r.objective.id == objective}


def outage(start: str, end: str, service: str = "web") -> str:
    return f"outage,shop,{service},{start},{end},,,\n"


BERLIN_24X7 = """
 service web {
  hours: 24x7
  timezone: "Europe/Berlin"
  %s
  objective availability { target: >= 99.9%%  window: %s }
 }"""


# (case, service extras, window, outages, window start, expected outage seconds, expected scheduled seconds)
AVAILABILITY = [
    # Across midnight, daily windows: 23:30-00:30 local is 30 min in each day's window of 24 h.
    (
        "midnight",
        "",
        "1d",
        outage("2026-05-04T23:30:00+02:00", "2026-05-05T00:30:00+02:00"),
        {"2026-05-04": (1800, 86400), "2026-05-05": (1800, 86400)},
    ),
    # Across the maintenance window sun 02:00-06:00: 01:00-07:00 on Sunday 2026-05-10 is 6 h,
    # of which 4 h are maintenance: 2 h count. May has 31 d = 744 h less 5 Sundays x 4 h = 724 h.
    (
        "maintenance",
        "maintenance { window: sun 02:00-06:00 }",
        "1mo",
        outage("2026-05-10T01:00:00+02:00", "2026-05-10T07:00:00+02:00"),
        {"2026-05-01": (2 * 3600, 724 * 3600)},
    ),
    # On a holiday (2026-05-14, a Thursday, closed all day): a 2 h outage counts nothing, and
    # May's scheduled time is 744 h less that day's 24 h = 720 h.
    (
        "holiday",
        "holidays: [2026-05-14]",
        "1mo",
        outage("2026-05-14T10:00:00+02:00", "2026-05-14T12:00:00+02:00"),
        {"2026-05-01": (0, 720 * 3600)},
    ),
    # Across the change to summer time (2026-03-29, 02:00 jumps to 03:00 in Berlin): 01:30+01:00
    # to 03:30+02:00 is one real hour. March has 31 x 24 - 1 = 743 real hours.
    (
        "DST",
        "",
        "1mo",
        outage("2026-03-29T01:30:00+01:00", "2026-03-29T03:30:00+02:00"),
        {"2026-03-01": (3600, 743 * 3600)},
    ),
    # Two overlapping outages, 10:00-11:00 and 10:30-12:00, count once: 10:00-12:00, 2 h.
    (
        "overlap",
        "",
        "1mo",
        outage("2026-06-02T10:00:00+02:00", "2026-06-02T11:00:00+02:00")
        + outage("2026-06-02T10:30:00+02:00", "2026-06-02T12:00:00+02:00"),
        {"2026-06-01": (2 * 3600, 720 * 3600)},
    ),
    # Service hours mon-fri 08:00-18:00: an outage fri 17:00 to mon 09:00 counts 1 h + 1 h.
    # June 2026 has 22 weekdays: 220 h scheduled.
    (
        "hours",
        "",
        "1mo",
        outage("2026-06-05T17:00:00+02:00", "2026-06-08T09:00:00+02:00"),
        {"2026-06-01": (2 * 3600, 220 * 3600)},
    ),
]


@pytest.mark.parametrize(
    ("case", "extra", "window", "events", "expected"), AVAILABILITY, ids=[a[0] for a in AVAILABILITY]
)
def test_availability_from_outages(tmp_path, case, extra, window, events, expected):
    service = BERLIN_24X7 % (extra, window)
    if case == "hours":
        service = service.replace("hours: 24x7", "hours: mon-fri 08:00-18:00")
    results = results_of(evaluate(tmp_path, sla(service), events))
    assert sorted(results) == sorted(expected)
    for day, (down, scheduled) in expected.items():
        value = results[day].measured.value
        assert value == Percent((1 - Decimal(down) / Decimal(scheduled)) * 100), (day, value)


def test_an_outage_outside_the_term_counts_only_its_inside_part(tmp_path):
    # The term starts 2026-05-10: May's window is 10-31 May, 22 d = 528 h; the outage
    # 2026-05-09 23:00 to 05-10 01:00 counts its second hour only.
    service = BERLIN_24X7 % ("", "1mo")
    events = outage("2026-05-09T23:00:00+02:00", "2026-05-10T01:00:00+02:00")
    result = results_of(evaluate(tmp_path, sla(service, effective="2026-05-10"), events))["2026-05-10"]
    assert result.measured.value == Percent((1 - Decimal(3600) / (528 * 3600)) * 100)


DESK = """
 service desk {
  hours: 24x7
  business_hours: mon-fri 08:00-18:00
  timezone: "Europe/Berlin"
  objective p1_response { metric: response_time  priority: P1  target: <= %s  window: 1mo }
 }"""


def incident(start: str, responded: str, priority: str = "P1") -> str:
    return f"incident,shop,desk,{start},,{priority},{responded},\n"


# (target, responded, expected worst value, status). The incident opens Friday 2026-05-08 17:30.
FRIDAY = [
    # 17:30-18:00 Friday is 0.5 bh, 08:00-11:30 Monday 3.5 bh: 4 bh exactly, kept.
    ("4bh", "2026-05-11T11:30:00+02:00", Duration(Decimal(4), "bh"), "kept"),
    # One more minute: 4 bh and 1/60, breached by 1/60 bh.
    ("4bh", "2026-05-11T11:31:00+02:00", Duration(Decimal(4) + Decimal(1) / 60, "bh"), "breached"),
    # In wall-clock time the same answer took 66 h: against 4h it is breached by 62 h.
    ("4h", "2026-05-11T11:30:00+02:00", Duration(Decimal(66), "h"), "breached"),
    # 1bd from Friday 17:30 is Monday 17:30: Monday 11:30 is within one business day.
    ("1bd", "2026-05-11T11:30:00+02:00", Duration(Decimal(1), "bd"), "kept"),
]


@pytest.mark.parametrize(("target", "responded", "worst", "status"), FRIDAY)
def test_an_incident_opened_on_friday_at_half_past_five(tmp_path, target, responded, worst, status):
    events = incident("2026-05-08T17:30:00+02:00", responded)
    result = results_of(evaluate(tmp_path, sla(DESK % target), events), "p1_response")["2026-05-01"]
    assert (result.measured.value.amount, result.measured.value.unit) == (worst.amount, worst.unit)
    assert result.status == status


def test_attainment_is_the_share_of_incidents_within_the_target(tmp_path):
    # Four P1 incidents on Tuesday 2026-05-12 from 09:00, answered after 1, 2, 3 and 5 bh:
    # 3 of 4 within 4bh is 75%, below the 90% attainment: breached by 15 points.
    # A P2 incident does not count for the P1 objective.
    service = (DESK % "4bh").replace("window: 1mo", "attainment: 90%  window: 1mo")
    events = "".join(
        incident("2026-05-12T09:00:00+02:00", f"2026-05-12T{9 + hours:02d}:00:00+02:00") for hours in (1, 2, 3, 5)
    )
    events += incident("2026-05-12T09:00:00+02:00", "2026-05-12T17:00:00+02:00", priority="P2")
    result = results_of(evaluate(tmp_path, sla(service), events), "p1_response")["2026-05-01"]
    assert result.measured.value == Percent(Decimal(75))
    assert result.measured.share and result.measured.detail == "3 of 4 within 4bh"
    assert (result.status, by_text(result)) == ("breached", "15 points")


# -- credits -------------------------------------------------------------------------------------

UTC_30D = """
 service web {
  hours: 24x7
  objective availability { target: >= 99.9%%  window: %s }
 }"""


def owed(result) -> list[tuple[str, str | None]]:
    """(amount written, amount owed as text) of each credit owed in the window."""
    return [
        (item.credit.shown_amount, amount_text(item.amount, item.block) if item.amount is not None else None)
        for item in result.owed
    ]


CREDITS = [
    # Tiers: 98.5% matches < 99.9% and < 99.0%; the worst threshold applies alone: 25%.
    (
        "tiers",
        "credits { credit { when: web.availability < 99.9%; amount: 10% }\n"
        " credit { when: web.availability < 99.0%; amount: 25% } }",
        "98.5%",
        [("25%", "25%")],
    ),
    # per with a remainder: threshold 99.9%, 30-day window (720 h), measured 99.5%: 0.4% of
    # 720 h is 2.88 h of shortfall, 2 whole hours: 2 x 2% = 4%.
    (
        "per",
        "credits { cap: 50%\n credit { when: web.availability < 99.9%; amount: 2% per 1h } }",
        "99.5%",
        [("2% per 1h", "4%")],
    ),
    # per started: the begun third hour counts too: 3 x 2% = 6%.
    (
        "per started",
        "credits { cap: 50%\n credit { when: web.availability < 99.9%; amount: 2% per started 1h } }",
        "99.5%",
        [("2% per started 1h", "6%")],
    ),
    # per a percent: 0.4 points of shortfall per 0.1% is 4 units: 4 x 1% = 4%.
    (
        "per percent",
        "credits { cap: 50%\n credit { when: web.availability < 99.9%; amount: 1% per 0.1% } }",
        "99.5%",
        [("1% per 0.1%", "4%")],
    ),
    # A cap reached: 95% is 4.9% x 720 h = 35.28 h short, 35 x 2% = 70%, capped to 50%.
    (
        "cap",
        "credits { cap: 50%\n credit { when: web.availability < 99.9%; amount: 2% per 1h } }",
        "95%",
        [("2% per 1h", "50%")],
    ),
    # Money per started hour with its currency: 99.5% is 2.88 h, 3 begun hours x 500 EUR.
    (
        "money",
        "credits { currency: EUR\n cap: 5000\n credit { when: web.availability < 99.9%; amount: 500 per started 1h } }",
        "99.5%",
        [("500 per started 1h", "1500 EUR")],
    ),
]


@pytest.mark.parametrize(("case", "credits", "value", "expected"), CREDITS, ids=[c[0] for c in CREDITS])
def test_credits_owed(tmp_path, case, credits, value, expected):
    # 30-day windows from 2026-01-01: the fifth starts 2026-05-01.
    evaluation = evaluate(
        tmp_path, sla(UTC_30D % "30d", credits), measurements=f"shop,web,availability,2026-05-01,{value}\n"
    )
    result = results_of(evaluation)["2026-05-01"]
    assert owed(result) == expected
    if case == "cap":
        assert amount_text(result.owed[0].before_cap, result.owed[0].block) == "70%"


def test_the_cap_is_per_calendar_month_over_the_windows_that_end_in_it(tmp_path):
    # Weekly windows from Thursday 2026-01-01; 7-day windows ending in February: those starting
    # 29 Jan (ends 5 Feb), 5, 12 and 19 Feb (ends 26 Feb). 20% each, cap 50%: 20 + 20 + 10 + 0.
    credits = "credits { cap: 50%\n credit { when: web.availability < 99.9%; amount: 20% } }"
    rows = "".join(
        f"shop,web,availability,{day},99%\n" for day in ("2026-01-29", "2026-02-05", "2026-02-12", "2026-02-19")
    )
    results = results_of(evaluate(tmp_path, sla(UTC_30D % "1w", credits), measurements=rows, period="2026-02"))
    assert {day: owed(result) for day, result in results.items() if result.selected} == {
        "2026-01-29": [("20%", "20%")],
        "2026-02-05": [("20%", "20%")],
        "2026-02-12": [("20%", "10%")],
        "2026-02-19": [("20%", "0%")],
    }


def test_consecutive_across_a_year_boundary(tmp_path):
    # Calendar months; the 3d credit needs two breached months in a row. November is kept,
    # December and January breached: December owes nothing, January 3d. Reported: January
    # alone (--period 2027-01), December still counts.
    credits = "credits backup { cap: 10d\n credit { when: web.availability < 99.9%; amount: 3d; consecutive: 2 } }"
    rows = "shop,web,availability,2026-11-01,99.95%\nshop,web,availability,2026-12-01,99.5%\n"
    rows += "shop,web,availability,2027-01-01,99.8%\n"
    evaluation = evaluate(tmp_path, sla(UTC_30D % "1mo", credits), measurements=rows, period="2027-01")
    results = results_of(evaluation)
    assert [day for day, r in results.items() if r.selected] == ["2027-01-01"]
    assert owed(results["2026-12-01"]) == []
    assert owed(results["2027-01-01"]) == [("3d", "3d")]


def test_escalation_replaces_the_single_month_credit(tmp_path):
    # 10% for one month below 99.9%, 30% when it is two in a row: the second month owes
    # 30%, not 40%.
    credits = (
        "credits { cap: 50%\n credit { when: web.availability < 99.9%; amount: 10% }\n"
        " credit { when: web.availability < 99.9%; amount: 30%; consecutive: 2 } }"
    )
    rows = "shop,web,availability,2026-05-01,99.5%\nshop,web,availability,2026-06-01,99.5%\n"
    results = results_of(evaluate(tmp_path, sla(UTC_30D % "1mo", credits), measurements=rows))
    assert owed(results["2026-05-01"]) == [("10%", "10%")]
    assert owed(results["2026-06-01"]) == [("30%", "30%")]


# -- events and measurements agree ---------------------------------------------------------------

PROPERTY_CREDITS = """credits { cap: 50%
 credit { when: web.availability < 99.9%; amount: 10% }
 credit { when: web.availability < 99.0%; amount: 2% per started 1h }
 credit { when: web.availability < 99.5%; amount: 20%; consecutive: 2 }
}"""
_START = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(st.integers(0, 120 * 24 * 60), st.integers(1, 30 * 60)),
        min_size=1,
        max_size=12,
    )
)
def test_measurements_derived_from_events_owe_what_the_events_owe(tmp_path, outages):
    """Outages in the first 120 days of 2026 (minutes from its start, lengths up to 30 h),
    in order of start; the values the events give per window, written as measurements,
    owe the same credits."""
    agreements = sla(BERLIN_24X7 % ("maintenance { window: sun 02:00-06:00 }", "1mo"), PROPERTY_CREDITS)
    rows = ""
    for start, length in sorted(outages):
        begin = _START + datetime.timedelta(minutes=start)
        rows += outage(begin.isoformat(), (begin + datetime.timedelta(minutes=length)).isoformat())
    from_events = evaluate(tmp_path, agreements, events=rows)
    measured = "".join(
        f"shop,web,availability,{r.start.date()},{r.measured.value}\n" for r in from_events.results if r.measured
    )
    from_measurements = evaluate(tmp_path, agreements, measurements=measured)

    def credits(evaluation):
        return {(str(r.start.date()), owed_item) for r in evaluation.results for owed_item in owed(r)}

    assert credits(from_measurements) == credits(from_events)


def test_a_business_threshold_on_a_wall_clock_target_counts_each_incident_in_business_hours(tmp_path):
    # Target 4h (wall clock); the credit owes 5% when an answer takes more than 8bh. Friday
    # 17:30 to Monday 11:31 is 66 h (breached) but 4 bh and a minute: no credit. Tuesday
    # 2026-05-12 08:00 to Wednesday 08:30 is 24.5 h and 10.5 bh: the credit is owed. A per-hour
    # amount on it cannot measure 24.5 h against 8bh, and says so.
    credits = (
        "credits { cap: 50%\n credit { when: desk.p1_response > 8bh; amount: 5% }\n"
        " credit { when: desk.p1_response > 8bh; amount: 1% per 1h } }"
    )
    agreements = sla(DESK % "4h", credits)
    first = incident("2026-05-08T17:30:00+02:00", "2026-05-11T11:31:00+02:00")
    result = results_of(evaluate(tmp_path, agreements, first), "p1_response")["2026-05-01"]
    assert (result.status, owed(result)) == ("breached", [])
    second = incident("2026-05-12T08:00:00+02:00", "2026-05-13T08:30:00+02:00")
    result = results_of(evaluate(tmp_path, agreements, first + second), "p1_response")["2026-05-01"]
    assert result.measured.value == Duration(Decimal("66.01666666666666666666666667"), "h")
    assert owed(result) == [("5%", "5%"), ("1% per 1h", None)]
    assert result.owed[1].note == (
        "not computed: the shortfall needs a value in the threshold's unit, not a share or another unit"
    )


def test_an_incident_never_answered_is_missed_once_its_deadline_has_passed(tmp_path):
    # Opened Friday 2026-05-08 17:30, no answer; the data ends with another incident answered
    # Wednesday 2026-05-20 09:10. By then the first has waited 0.5 (Fri) + 5 x 10 (11-15 May)
    # + 2 x 10 (18, 19 May) + 1 h 10 min (20 May) = 71 h 40 min of business hours: missed,
    # and the worst time is at least that.
    events = incident("2026-05-08T17:30:00+02:00", "")
    events += incident("2026-05-20T09:00:00+02:00", "2026-05-20T09:10:00+02:00")
    result = results_of(evaluate(tmp_path, sla(DESK % "4bh"), events), "p1_response")["2026-05-01"]
    assert result.measured.value == Duration(Decimal(71) + Decimal(2) / 3, "bh")
    assert (result.status, result.measured.detail) == ("breached", "worst of 2 incidents")
    # Answered nowhere yet, but the data ends before its deadline (Monday 11:30): not counted.
    events = incident("2026-05-08T17:30:00+02:00", "") + incident(
        "2026-05-11T09:00:00+02:00", "2026-05-11T09:10:00+02:00"
    )
    result = results_of(evaluate(tmp_path, sla(DESK % "4bh"), events), "p1_response")["2026-05-01"]
    assert (result.status, result.measured.detail) == ("kept", "worst of 1 incident")
