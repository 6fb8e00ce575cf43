from annotations.web.history import describe_changes


def test_choices_get_their_labels_and_fields_come_in_reading_order():
    rows = describe_changes(
        {
            "status": {"before": "pending", "after": "changes_requested"},
            "verdict": {"before": "opinion", "after": "verified"},
        }
    )
    assert [r.name for r in rows] == ["verdict", "status"]
    assert (rows[0].before.text, rows[0].after.text) == ("Opinion", "Verified")
    assert rows[1].after.text == "Changes requested"


def test_evidence_becomes_links_and_missing_sides_are_empty():
    (row,) = describe_changes(
        {"evidence": {"before": None, "after": [{"url": "https://e.org/a", "title": "A"}]}}
    )
    assert row.before.empty
    assert row.after.links == [{"url": "https://e.org/a", "title": "A"}]


def test_unknown_and_malformed_entries_do_not_break_the_page():
    rows = describe_changes({"weird_field": {"before": 1, "after": True}, "bad": "x"})
    assert [(r.label, r.before.text, r.after.text) for r in rows] == [("Weird field", "1", "yes")]
    assert describe_changes(None) == []


def test_only_http_links_become_links():
    (row,) = describe_changes({"evidence": {"before": [{"url": "javascript:alert(1)"}]}})
    assert row.before.links == [] and row.before.text == "javascript:alert(1)"


def test_a_field_empty_before_and_after_is_left_out():
    rows = describe_changes(
        {"evidence": {"before": None, "after": []}, "note": {"before": None, "after": "x"}}
    )
    assert [r.name for r in rows] == ["note"]
