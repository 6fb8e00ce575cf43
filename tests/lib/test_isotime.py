from datetime import UTC, date, datetime, timedelta, timezone

from annotations.lib.isotime import iso


def test_iso_writes_utc_with_z_and_plain_dates():
    cet = timezone(timedelta(hours=1))
    assert iso(datetime(2026, 3, 1, 10, 30, tzinfo=cet)) == "2026-03-01T09:30:00Z"
    assert iso(datetime(2026, 3, 1, 9, 30, 0, 5, tzinfo=UTC)) == "2026-03-01T09:30:00.000005Z"
    assert iso(date(2026, 2, 27)) == "2026-02-27"
    assert iso(None) is None
