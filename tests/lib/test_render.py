from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.lib.render import Segment, Span, chunks, chunks_touching, segments, segments_html


def test_no_spans_is_one_plain_segment():
    (seg,) = segments("Hello", [])
    assert (seg.start, seg.end, seg.text, seg.ids) == (0, 5, "Hello", ())
    assert seg.css_class == "seg"


def test_empty_text_has_no_segments():
    assert segments("", [Span(1, 0, 1, "verified")]) == []


def test_text_is_kept_verbatim_for_the_template_to_escape():
    # Escaping is the template's (autoescape); tests/web/test_annotate_views.py checks it.
    text = '<script>alert(1)</script> " hx-get="/x'
    segs = segments(text, [Span(1, 0, 8, "disputed")])
    assert "".join(s.text for s in segs) == text


def test_overlapping_spans_split_at_every_boundary():
    text = "abcdefghij"
    segs = segments(text, [Span(1, 2, 6, "verified"), Span(2, 4, 8, "opinion")])
    assert [(s.start, s.end, s.ids) for s in segs] == [
        (0, 2, ()),
        (2, 4, (1,)),
        (4, 6, (1, 2)),
        (6, 8, (2,)),
        (8, 10, ()),
    ]
    middle = segs[2]
    assert middle.verdicts == ("verified", "opinion")
    assert middle.depth == 2
    assert "depth-2" in middle.css_class and "also-opinion" in middle.css_class
    assert segs[2].ends == ("verified",) and segs[3].ends == ("opinion",)


def test_nested_spans_list_outermost_first_and_disputed_leads():
    segs = segments("abcdefghij", [Span(5, 3, 5, "disputed"), Span(9, 0, 10, "opinion")])
    inner = next(s for s in segs if s.start == 3)
    assert inner.ids == (9, 5)
    assert inner.verdicts == ("disputed", "opinion")
    assert inner.css_class.startswith("seg hl hl-disputed depth-2")


def test_depth_class_is_capped():
    spans = [Span(i, 0, 4, "verified") for i in range(1, 6)]
    (seg,) = segments("abcd", spans)
    assert seg.depth == 5 and "depth-3" in seg.css_class


def test_spans_outside_the_text_are_ignored():
    segs = segments("abc", [Span(1, 2, 9, "opinion"), Span(2, 3, 3, "opinion")])
    assert [s.ids for s in segs] == [()]
    assert segments("abc", []) == [Segment(0, 3, "abc")]


def test_line_breaks_are_segments_of_their_own():
    segs = segments("ab\ncd\n\nef", [Span(1, 1, 5, "opinion")])
    assert [(s.text, s.ids) for s in segs] == [
        ("a", ()),
        ("b", (1,)),
        ("\n", (1,)),
        ("cd", (1,)),
        ("\n", ()),
        ("\n", ()),
        ("ef", ()),
    ]
    assert [s.css_class for s in segs if s.is_break] == ["seg br"] * 3


def test_offsets_are_code_points():
    text = "a😀é̃b"
    segs = segments(text, [Span(1, 1, 3, "opinion")])
    assert [(s.start, s.end) for s in segs] == [(0, 1), (1, 3), (3, 5)]
    assert segs[1].text == "😀é"


def test_many_nested_spans_cover_the_text_once():
    # How fast this is, is bench/render.py's to say.
    text = "x" * 20_000
    spans = [Span(i, i * 7, i * 7 + 40, "verified") for i in range(2_000)]
    segs = segments(text, spans)
    assert sum(s.end - s.start for s in segs) == len(text)
    assert max(s.depth for s in segs) == 6


span_lists = st.lists(
    st.tuples(
        st.integers(0, 60), st.integers(0, 60), st.sampled_from(["verified", "disputed", "opinion"])
    ),
    max_size=25,
)


@settings(max_examples=300)
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=60), raw=span_lists)
def test_segments_rebuild_text_and_cover_exactly_the_containing_spans(text, raw):
    spans = [Span(i, a, b, v) for i, (a, b, v) in enumerate(raw, start=1)]
    segs = segments(text, spans)
    assert "".join(s.text for s in segs) == text
    assert all(isinstance(s, Segment) and s.start < s.end for s in segs)
    if text:
        assert segs[0].start == 0 and segs[-1].end == len(text)
    for left, right in zip(segs, segs[1:], strict=False):
        assert left.end == right.start
    valid = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    for seg in segs:
        for pos in range(seg.start, seg.end):
            assert set(seg.ids) == {s.id for s in valid if s.start <= pos < s.end}
        assert set(seg.verdicts) == {s.verdict for s in valid if s.id in seg.ids}


# Chunks: the unit a save redraws -------------------------------------------------------

VERDICTS = ("verified", "disputed", "opinion")
texts = st.text(alphabet=st.sampled_from("ab \n.é😀"), max_size=300)


@given(texts, st.integers(min_value=5, max_value=60))
def test_chunks_cover_the_text_in_order_and_blocks_hold_whole_lines(text, target):
    cs = chunks(text, target)
    assert "".join(text[c.start : c.end] for c in cs) == text
    assert all(a.end == b.start for a, b in zip(cs, cs[1:], strict=False))
    for c in cs:
        if c.block:
            assert c.start == 0 or text[c.start - 1] == "\n"
            assert c.end == len(text) or text[c.end - 1] == "\n"


@settings(max_examples=200)
@given(texts, st.data())
def test_windowed_segments_agree_with_the_whole_text(text, data):
    n = len(text)
    spans = []
    if n:
        for i in range(data.draw(st.integers(0, 8))):
            start = data.draw(st.integers(0, n - 1))
            end = data.draw(st.integers(start + 1, n))
            spans.append(Span(i + 1, start, end, data.draw(st.sampled_from(VERDICTS))))
    whole = segments(text, spans)
    for c in chunks(text, 40):
        part = segments(text, spans, c.start, c.end)
        assert "".join(s.text for s in part) == text[c.start : c.end]
        for s in part:
            # The same spans cover it, outermost first, as in the whole-text segments.
            cover = next(w for w in whole if w.start <= s.start < w.end)
            assert s.ids == cover.ids and s.verdicts == cover.verdicts
            if s.end < cover.end:
                assert s.ends == ()  # cut by the chunk, not the end of a span
            else:
                assert s.ends == cover.ends


def test_chunks_touching_a_span():
    cs = chunks("aaaa\nbbbb\ncccc\n", 5)
    assert [(c.start, c.end) for c in chunks_touching(cs, 6, 11)] == [(5, 10), (10, 15)]


def test_segments_html_escapes_the_text():
    html = segments_html(segments('<b>"x"</b> & y', [Span(3, 0, 3, "opinion")]))
    assert "<b>" not in html and "&lt;b&gt;" in html and "&quot;x&quot;" in html
    assert 'data-ids="3"' in html and 'class="seg hl hl-opinion depth-1 end-opinion"' in html
