"""`slalint evaluate` from the command line: the example month, the formats and
exit codes, input errors located by file, line and column, hostile CSV, and
memory that does not grow with the events file."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc

import pytest
from conftest import PARTIES, PROJECT, in_process, run_cli

from sla_lang.evaluate import evaluate_files
from sla_lang.evaluate.report import neutralised

EXAMPLE = ("evaluate", "--events", "examples/evaluate/events.csv", "--period", "2026-05", "examples")
EVENTS_HEADER = "kind,agreement,service,start,end,priority,responded,resolved\n"
MEASUREMENTS_HEADER = "agreement,service,objective,window_start,value\n"

SHOP = (
    PARTIES
    + """
sla shop "Shop" {
  provider: it_org
  customer: acme
  version: "1"
  effective: 2026-01-01
  expires: 2027-12-31
  service web {
    hours: 24x7
    timezone: "Europe/Berlin"
    objective availability { target: >= 99.9%  window: 1mo }
    objective p1_response { metric: response_time  priority: P1  target: <= 4h  window: 1mo }
  }
  credits { cap: 50%
    credit { when: web.availability < 99.9%; amount: 10% }
  }
}
"""
)


@pytest.fixture
def shop(tmp_path):
    (tmp_path / "shop.sla").write_text(SHOP, encoding="utf-8")
    return tmp_path


def run(cwd, *args: str):
    return in_process(cwd, "evaluate", *args)


# -- the example month -----------------------------------------------------------------------------


def test_the_example_month_breaches_through_an_ola_through_no_supporter_and_owes_a_capped_credit():
    result = in_process(PROJECT, *EXAMPLE)
    assert result.code == 1, result.err
    lines = result.out.splitlines()
    # payments_gold: 40 min down in 30 d (43,200 min) is 99.907%, below 99.95%; its OLA db_ola
    # was down 45 min of the same window (99.895% against 99.99%).
    at = lines.index(
        "  2026-05-01..2026-05-30  payments_api.availability  99.907% (40 min down in 30 d scheduled)"
        "  target >= 99.95%  breached by 0.042 points"
    )
    assert lines[at + 1 : at + 3] == ["      caused by OLA 'db_ola' (99.895%)", "      credit 10% at < 99.95%"]
    # hr_desk: the P1 incident was answered after 50 min (target 30 min); the desk OLA's own
    # record says 15 min (target 20 min): kept.
    at = lines.index(
        "  2026-05-01..2026-05-31  desk.p1_response  50min (worst of 1 incident)  target <= 30min  breached by 20min"
    )
    assert lines[at + 1] == "      no supporter breached"
    # harbour_shop_hosting: 40 h down (two overlapping outages) in 720 h is 94.444%. The worst
    # threshold, < 99%, owes 25% and 1% per started hour of the 32.8 h short of 99%: 33%; the
    # cap of 50% a month leaves 25% of those. The block's claim: 30d from the window's end
    # (2026-05-31 00:00, the 30-day window from 2026-05-01) is 2026-06-30.
    at = lines.index(
        "  2026-05-01..2026-05-30  shop.availability  94.444% (1 d 16 h down in 30 d scheduled)"
        "  target >= 99.9%  breached by 5.455 points"
    )
    assert lines[at + 1 : at + 4] == [
        "      no supporters",
        "      credit 25% at < 99%; claim before 2026-06-30",
        "      credit 25% (33 x 1% per started 1h), capped from 33% at < 99%; claim before 2026-06-30",
    ]
    assert lines[-1] == (
        "11 windows: 4 kept, 5 breached, 2 no data. SLA 'harbour_shop_hosting' owes 50%; "
        "SLA 'harbour_shop_hosting' owes 100 EUR (credits penalties); SLA 'payments_gold' owes 10%."
    )


def test_the_example_as_json():
    result = in_process(PROJECT, *EXAMPLE, "--format", "json")
    assert result.code == 1
    report = json.loads(result.out)
    assert report["version"] == 1 and report["period"] == "2026-05"
    assert report["summary"] == {"kept": 4, "breached": 5, "no_data": 2}
    shop = [
        w for w in report["windows"] if w["agreement"] == "harbour_shop_hosting" and w["objective"] == "availability"
    ]
    assert [c["amount"] for c in shop[0]["credits"]] == ["25", "25"]
    assert shop[0]["credits"][1] == {
        "block": None,
        "kind": "percent",
        "currency": None,
        "condition": "< 99%",
        "amount_written": "1% per started 1h",
        "consecutive": 1,
        "units": "33",
        "amount": "25",
        "before_cap": "33",
        "note": None,
        "claim_before": "2026-06-30",
    }
    assert {(o["agreement"], o["block"], o["total"], o["currency"]) for o in report["owed"]} == {
        ("harbour_shop_hosting", None, "50", None),
        ("harbour_shop_hosting", "penalties", "100", "EUR"),
        ("payments_gold", None, "10", None),
    }


def test_the_example_as_markdown_and_csv():
    markdown = in_process(PROJECT, *EXAMPLE, "--format", "markdown").out
    assert "### SLA 'payments\\_gold'" in markdown
    assert "| window | objective | measured | target | status | credits and causes |" in markdown
    rows = list(csv.reader(io.StringIO(in_process(PROJECT, *EXAMPLE, "--format", "csv").out)))
    assert rows[0] == [
        "agreement", "service", "objective", "window_start", "window_end", "value", "target", "status", "by",
        "credits", "causes",
    ]  # fmt: skip
    assert ["payments_gold", "payments_api", "availability"] in [row[:3] for row in rows]
    payments = next(row for row in rows if row[:3] == ["payments_gold", "payments_api", "availability"])
    assert payments[5:] == [
        "99.907%",
        ">= 99.95%",
        "breached",
        "0.042 points",
        "10% at < 99.95%",
        "caused by OLA 'db_ola' (99.895%)",
    ]


def test_csv_output_cells_never_start_a_formula():
    assert neutralised("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"
    assert [neutralised(cell) for cell in ("+1", "-1", "@SUM(A1)", "\tx", "ok")] == [
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "'\tx",
        "ok",
    ]
    rows = list(csv.reader(io.StringIO(in_process(PROJECT, *EXAMPLE, "--format", "csv").out)))
    assert not [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@")]


# -- exit codes -----------------------------------------------------------------------------------


def test_all_kept_exits_0_and_no_data_does_not_change_it(shop):
    # May 2026 at 99.95% is kept; p1_response has no value: no data.
    (shop / "m.csv").write_text(MEASUREMENTS_HEADER + "shop,web,availability,2026-05-01,99.95%\n")
    result = run(shop, "--measurements", "m.csv", "--period", "2026-05", ".")
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "SLA 'shop' (Shop)",
        "  2026-05-01..2026-05-31  web.availability  99.95%  target >= 99.9%  kept",
        "  2026-05-01..2026-05-31  web.p1_response  -  target <= 4h  no data",
        "2 windows: 1 kept, 0 breached, 1 no data. Nothing owed.",
    ]


def test_a_breach_exits_1_and_measurements_override_events(shop):
    # The events say 1 h down in May (99.865%), the measurement row says 99.95%: it wins.
    (shop / "e.csv").write_text(
        EVENTS_HEADER + "outage,shop,web,2026-05-04T10:00:00+02:00,2026-05-04T11:00:00+02:00,,,\n"
    )
    (shop / "m.csv").write_text(MEASUREMENTS_HEADER + "shop,web,availability,2026-05-01,99.95%\n")
    assert run(shop, "--events", "e.csv", "--period", "2026-05", ".").code == 1
    assert run(shop, "--events", "e.csv", "--measurements", "m.csv", "--period", "2026-05", ".").code == 0


def test_language_errors_behind_the_evaluated_agreements_are_warned_about_and_the_rest_evaluated(shop):
    (shop / "m.csv").write_text(MEASUREMENTS_HEADER + "shop,web,availability,2026-05-01,99.95%\n")
    ola = 'ola desk "Desk" {\n  provider: it_org  customer: nobody\n  version: "1"  effective: 2026-01-01\n'
    (shop / "ola.sla").write_text(ola + "  supports: shop.web\n  service desk { hours: 24x7 }\n}\n", encoding="utf-8")
    unrelated = ola.replace("desk", "other") + "  service other { hours: 24x7 }\n}\n"  # not evaluated, not a supporter
    (shop / "other.sla").write_text(unrelated, encoding="utf-8")
    result = run(shop, "--measurements", "m.csv", "--period", "2026-05", ".")
    assert result.code == 0
    assert result.err == (
        "slalint: warning: ola.sla:2:31: SL007 the customer of OLA 'desk' names 'nobody', but no party 'nobody' is "
        "declared (is the file that declares it in the workspace?)\n"
    )
    assert "web.availability  99.95%  target >= 99.9%  kept" in result.out


def test_usage_errors_exit_2(shop):
    assert run(shop, ".").err == "slalint: give --measurements FILE.csv, --events FILE.csv or both\n"
    (shop / "m.csv").write_text(MEASUREMENTS_HEADER)
    result = run(shop, "--measurements", "m.csv", "--period", "2026-13", ".")
    assert (result.code, result.err) == (2, "slalint: --period '2026-13': month must be in 1..12\n")
    result = run(shop, "--measurements", "m.csv", "--period", "May", ".")
    assert result.code == 2 and "write 2026-05, 2026-Q2, 2026 or 2026-05-01..2026-05-31" in result.err
    result = run(shop, "--measurements", "m.csv", "--format", "xml", ".")
    assert result.code == 2 and "--format must be text, markdown, json or csv" in result.err


def test_period_forms_select_the_windows_that_end_in_them(shop):
    # Monthly values from January to June; a window is selected when it ends inside the period.
    rows = "".join(f"shop,web,availability,2026-{month:02d}-01,99.95%\n" for month in range(1, 7))
    (shop / "m.csv").write_text(MEASUREMENTS_HEADER + rows)

    def months(period: str) -> list[str]:
        out = json.loads(run(shop, "--measurements", "m.csv", "--period", period, "--format", "json", ".").out)
        return [w["window"]["start"][:7] for w in out["windows"] if w["objective"] == "availability"]

    assert months("2026-05") == ["2026-05"]
    assert months("2026-Q2") == ["2026-04", "2026-05", "2026-06"]
    assert months("2026-02-01..2026-03-31") == ["2026-02", "2026-03"]
    # A year: the months without a value are in it too, as no data.
    statuses = json.loads(run(shop, "--measurements", "m.csv", "--period", "2026", "--format", "json", ".").out)
    availability = [w["status"] for w in statuses["windows"] if w["objective"] == "availability"]
    assert availability == ["kept"] * 6 + ["no data"] * 6


# -- input errors ---------------------------------------------------------------------------------

MEASUREMENT_ERRORS = [
    ("nope,web,availability,2026-05-01,99%", "m.csv:2:1: no agreement 'nope' in the workspace"),
    ("shop,api,availability,2026-05-01,99%", "m.csv:2:6: SLA 'shop' has no service 'api' (it has web)"),
    (
        "shop,web,latency,2026-05-01,99%",
        "m.csv:2:10: service 'web' has no objective 'latency' (it has availability, p1_response)",
    ),
    (
        "shop,web,availability,2026-05-01,412ms",
        "m.csv:2:34: 412ms is of the wrong unit: the target >= 99.9% needs a percent",
    ),
    (
        "shop,web,p1_response,2026-05-01,2bh",
        "m.csv:2:33: 2bh is of the wrong unit: the target <= 4h needs a wall-clock duration (ms, s, min, h, d, ...)",
    ),
    (
        "shop,web,availability,2026-05-01,101%",
        "m.csv:2:34: '101%' is not a percent: a percent lies between 0% and 100%",
    ),
    (
        "shop,web,availability,2026-05-01,lots",
        "m.csv:2:34: 'lots' is not a value: write it as in the language, e.g. 99.93%, 412ms or 3.5h",
    ),
    ("shop,web,availability,2026-02-30,99%", "m.csv:2:23: '2026-02-30' is not a date that exists"),
    ("shop,web,availability,May,99%", "m.csv:2:23: 'May' is not a date-time: write e.g. 2026-05-04T10:00:00+02:00"),
    (
        "shop,web,availability,2026-05-02,99%",
        "m.csv:2:23: 2026-05-02 is not the start of a window of this objective: the window that holds it starts "
        "at 2026-05-01T00:00:00+02:00",
    ),
    ("shop,web,availability,2029-05-01,99%", "m.csv:2:23: 2029-05-01 is outside the term of SLA 'shop'"),
    ("shop,web,availability,9999-05-01,99%", "m.csv:2:23: the year 9999 is outside 1900..2200: is the date right?"),
]


@pytest.mark.parametrize(("row", "message"), MEASUREMENT_ERRORS)
def test_a_wrong_measurement_row_is_located_and_nothing_is_computed(shop, row, message):
    (shop / "m.csv").write_text(MEASUREMENTS_HEADER + "shop,web,availability,2026-04-01,99%\n" + row + "\n")
    result = run(shop, "--measurements", "m.csv", ".")
    assert (result.code, result.out) == (2, "")
    assert result.err == f"slalint: {message.replace('m.csv:2', 'm.csv:3')}\n"


def test_two_values_for_one_window_are_an_error(shop):
    (shop / "m.csv").write_text(MEASUREMENTS_HEADER + "shop,web,availability,2026-05-01,99%\n" * 2)
    result = run(shop, "--measurements", "m.csv", ".")
    assert (
        result.err == "slalint: m.csv:3:23: a second value for this window of 'availability' (the first is on line 2)\n"
    )


def test_every_wrong_row_is_reported_up_to_twenty(shop):
    rows = "".join(f"shop,web,availability,2026-05-01,{n}x\n" for n in range(30))
    (shop / "m.csv").write_text(MEASUREMENTS_HEADER + rows)
    errors = run(shop, "--measurements", "m.csv", ".").err.splitlines()
    assert len(errors) == 20
    assert errors[0].startswith("slalint: m.csv:2:34: '0x' is not a value")
    assert errors[-1].startswith("slalint: m.csv:21:34: '19x' is not a value")


EVENT_ERRORS = [
    (
        "crash,shop,web,2026-05-04T10:00:00+02:00,,,,",
        "e.csv:2:1: 'crash' is not a kind of event: write outage or incident",
    ),
    ("outage,shop,web,2026-05-04T10:00:00+02:00,,,,", "e.csv:2:43: an outage needs its end"),
    (
        "outage,shop,web,2026-05-04T10:00:00,2026-05-04T11:00:00+02:00,,,",
        "e.csv:2:17: '2026-05-04T10:00:00' has no UTC offset: add one, e.g. +02:00 or Z",
    ),
    (
        "outage,shop,web,2026-05-04T10:00:00+02:00,2026-05-04T09:00:00+02:00,,,",
        "e.csv:2:43: 2026-05-04T09:00:00+02:00 is before the start (2026-05-04T10:00:00+02:00)",
    ),
    (
        "incident,shop,web,2026-05-04T10:00:00+02:00,,P1,soon,",
        "e.csv:2:49: 'soon' is not a date-time: write e.g. 2026-05-04T10:00:00+02:00",
    ),
    (
        "outage,shop,web,0001-01-01T00:00:00+00:00,2026-05-04T11:00:00+02:00,,,",
        "e.csv:2:17: the year 1 is outside 1900..2200: is the date right?",
    ),
]


@pytest.mark.parametrize(("row", "message"), EVENT_ERRORS)
def test_a_wrong_event_row_is_located_and_nothing_is_computed(shop, row, message):
    (shop / "e.csv").write_text(EVENTS_HEADER + row + "\n")
    result = run(shop, "--events", "e.csv", ".")
    assert (result.code, result.out, result.err) == (2, "", f"slalint: {message}\n")


def test_outages_of_a_service_out_of_order_are_an_error_that_says_what_to_do(shop):
    rows = "outage,shop,web,2026-05-04T10:00:00+02:00,2026-05-04T11:00:00+02:00,,,\n"
    rows += "outage,shop,web,2026-05-05T10:00:00+02:00,2026-05-05T11:00:00+02:00,,,\n"
    rows += "outage,shop,web,2026-05-04T10:30:00+02:00,2026-05-04T10:40:00+02:00,,,\n"
    (shop / "e.csv").write_text(EVENTS_HEADER + rows)
    result = run(shop, "--events", "e.csv", ".")
    assert result.code == 2
    assert result.err == (
        "slalint: e.csv:4:17: this outage starts before the end of an earlier one of the service "
        "(2026-05-04T11:00:00+02:00), which is already counted: list each service's outages in order of start\n"
    )


def test_a_header_must_name_the_columns(shop):
    (shop / "e.csv").write_text("kind,agreement,service\n")
    assert run(shop, "--events", "e.csv", ".").err == "slalint: e.csv:1:1: the header lacks the column(s) start\n"
    (shop / "e.csv").write_text("kind,agreement,service,start,colour\n")
    assert run(shop, "--events", "e.csv", ".").err == (
        "slalint: e.csv:1:30: unknown column 'colour': the columns are kind, agreement, service, start, end, "
        "priority, responded, resolved\n"
    )
    (shop / "e.csv").write_text("")
    assert "e.csv:1:1: the file is empty" in run(shop, "--events", "e.csv", ".").err
    assert run(shop, "--events", "missing.csv", ".").err == (
        "slalint: missing.csv:1:1: cannot read the file: No such file or directory\n"
    )


# -- hostile CSV ----------------------------------------------------------------------------------


def hostile(shop, content: bytes):
    (shop / "e.csv").write_bytes(content)
    result = run_cli("evaluate", "--events", "e.csv", ".", cwd=shop, timeout=60)
    err = result.stderr.decode()
    assert "Traceback" not in err, err
    return result.returncode, err, result.seconds


def test_a_huge_field_is_refused_at_its_line(shop):
    code, err, seconds = hostile(shop, EVENTS_HEADER.encode() + b"outage,shop," + b"w" * 10_000_000 + b"\n")
    assert (code, err) == (2, "slalint: e.csv:2:65537: the line is longer than 65,536 bytes: is it CSV?\n")
    assert seconds < 5


def test_a_million_columns_are_refused(shop):
    code, err, seconds = hostile(shop, b"," * 1_000_000 + b"\n")
    assert (code, err) == (2, "slalint: e.csv:1:65537: the line is longer than 65,536 bytes: is it CSV?\n")
    code, err, _ = hostile(shop, b"a," * 100 + b"\n")
    assert (code, err) == (2, "slalint: e.csv:1:1: 101 columns: a row has at most 64\n")
    assert seconds < 5


def test_nul_bytes_and_bytes_that_are_not_utf8_are_refused(shop):
    code, err, _ = hostile(shop, EVENTS_HEADER.encode() + b"outage,sh\0op\n")
    assert (code, err) == (2, "slalint: e.csv:2:10: a NUL byte: the file is not CSV text\n")
    code, err, _ = hostile(shop, EVENTS_HEADER.encode() + b"outage,\xff\xfe\n")
    assert (code, err) == (2, "slalint: e.csv:2:8: the line is not UTF-8 text\n")


def test_a_formula_in_an_input_cell_is_only_quoted_back(shop):
    code, err, _ = hostile(shop, EVENTS_HEADER.encode() + b"outage,=cmd|' /C calc'!A0,web,x,y,,,\n")
    assert (code, err) == (2, "slalint: e.csv:2:8: no agreement \"=cmd|' /C calc'!A0\" in the workspace\n")


def test_an_unterminated_quote_is_not_csv(shop):
    code, err, _ = hostile(shop, EVENTS_HEADER.encode() + b'outage,"shop,web\n')
    assert code == 2 and err.startswith("slalint: e.csv:2:1: not valid CSV: ")


# -- streaming ------------------------------------------------------------------------------------


def write_outages(path, count: int) -> None:
    """`count` one-minute outages, ten minutes apart, from 2026-01-01 (UTC)."""
    import datetime

    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    with open(path, "w", encoding="utf-8") as out:
        out.write(EVENTS_HEADER)
        for n in range(count):
            begin = start + datetime.timedelta(minutes=10 * n)
            end = begin + datetime.timedelta(minutes=1)
            out.write(f"outage,shop,web,{begin.isoformat()},{end.isoformat()},,,\n")


def peak_memory(shop, events) -> int:
    evaluate_files([str(shop)], None, str(events), None, 5 << 20)  # warm: imports and caches
    tracemalloc.start()
    try:
        evaluate_files([str(shop)], None, str(events), None, 5 << 20)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_events_file(shop):
    # 100 outages against 100,000 (about 7 MB, ten months of windows): the peak may grow by the
    # per-window aggregates, a few KB, not by the file. A generous bound: 2 MB.
    write_outages(shop / "small.csv", 100)
    write_outages(shop / "large.csv", 100_000)
    assert (shop / "large.csv").stat().st_size > 7_000_000
    small, large = peak_memory(shop, shop / "small.csv"), peak_memory(shop, shop / "large.csv")
    assert large - small < 2_000_000, (small, large)


def test_a_hundred_thousand_outages_evaluate_in_seconds(shop):
    # bench/evaluate.py measures the year of 100 services; this is a generous bound on a tenth.
    write_outages(shop / "large.csv", 100_000)
    result = run_cli("evaluate", "--events", "large.csv", "--format", "json", ".", cwd=shop, timeout=120)
    assert result.returncode == 1, result.stderr.decode()[-500:]
    assert result.seconds < 10
    windows = json.loads(result.stdout)["windows"]
    # Outages every ten minutes from 2026-01-01 00:00 UTC; January in Berlin ends at 23:00 UTC on
    # the 31st: 31 x 144 - 6 = 4,458 minutes down.
    january = next(
        w for w in windows if w["objective"] == "availability" and w["window"]["start"].startswith("2026-01")
    )
    assert january["detail"] == "3 d 2 h 18 min down in 31 d scheduled"


def test_on_a_terminal_the_text_is_a_table_per_agreement(monkeypatch):
    from sla_lang.evaluate.report import as_text

    monkeypatch.setenv("COLUMNS", "200")
    evaluation = evaluate_files([str(PROJECT / "examples")], None, str(PROJECT / EXAMPLE[2]), "2026-05", 5 << 20)
    shown = as_text(evaluation, terminal=True)
    assert "\x1b[" in shown and "┃" in shown
    assert "caused by OLA 'db_ola' (99.895%)" in shown
    assert "SLA 'payments_gold'" in shown


def test_a_span_of_centuries_is_refused_not_laid_out(shop):
    # An hourly objective: 1900 to 2200 is 109,573 days, 2,629,752 windows; the outage is refused
    # at its row, a period of centuries before anything is laid out.
    (shop / "shop.sla").write_text(SHOP.replace("window: 1mo }\n    objective p1", "window: 1h }\n    objective p1"))
    (shop / "e.csv").write_text(EVENTS_HEADER + "outage,shop,web,1900-01-01T00:00:00Z,2200-01-01T00:00:00Z,,,\n")
    code, err, seconds = hostile(shop, (shop / "e.csv").read_bytes())
    assert code == 2 and seconds < 5
    assert err == (
        "slalint: e.csv:2:17: 1900-01-01T00:00:00+00:00 to 2200-01-01T00:00:00+00:00 spans 2,629,752 windows of "
        "web.availability (1h); at most 200,000 are evaluated\n"
    )
    (shop / "m.csv").write_text(MEASUREMENTS_HEADER + "shop,web,availability,2026-05-01,99%\n")
    result = run(shop, "--measurements", "m.csv", "--period", "1900-01-01..2199-12-31", ".")
    assert result.code == 2
    assert result.err.endswith(
        "windows of web.availability (1h); at most 200,000 are evaluated: give a shorter span of data\n"
    )


def test_breaches_of_a_draft_agreement_are_reported_without_failing(shop):
    (shop / "shop.sla").write_text(SHOP.replace("  effective: 2026-01-01\n", "  status: draft\n"))
    (shop / "m.csv").write_text(MEASUREMENTS_HEADER + "shop,web,availability,2026-05-01,99%\n")
    result = run(shop, "--measurements", "m.csv", "--period", "2026-05", ".")
    assert result.code == 0, result.err
    assert "  2026-05-01..2026-05-31  web.availability  99%  target >= 99.9%  breached by 0.9 points" in result.out


def test_a_period_without_windows_says_so(shop):
    (shop / "m.csv").write_text(MEASUREMENTS_HEADER + "shop,web,availability,2026-05-01,99%\n")
    (shop / "shop.sla").write_text(
        SHOP.replace(
            "    objective p1_response { metric: response_time  priority: P1  target: <= 4h  window: 1mo }\n", ""
        )
    )
    result = run(shop, "--measurements", "m.csv", "--period", "2026-05-02..2026-05-30", ".")
    assert (result.code, result.out) == (
        0,
        "No window of the data ends in the period.\n0 windows: 0 kept, 0 breached, 0 no data. Nothing owed.\n",
    )
    result = run(shop, "--measurements", "m.csv", "--period", "2026-05", ".")
    assert result.out.splitlines()[-1] == "1 window: 0 kept, 1 breached, 0 no data. SLA 'shop' owes 10%."
