from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from annotations.models import Article

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def load(*paths, capsys=None):
    call_command("load_articles", *map(str, paths))
    return capsys.readouterr() if capsys else None


@pytest.mark.django_db
def test_seeds_load_once_and_003_is_near_duplicate_of_002(capsys):
    out = load(SEEDS, capsys=capsys).out
    assert Article.objects.count() == 5
    assert "5 created, 0 unchanged, 1 near duplicates, 0 failed" in out
    by_prefix = {Path(a.source_file).name[:3]: a for a in Article.objects.all()}
    assert by_prefix["003"].near_duplicate_of == by_prefix["002"]
    flagged = {k for k, a in by_prefix.items() if a.near_duplicate_of_id}
    assert flagged == {"003"}
    assert by_prefix["000"].published.isoformat() == "2025-02-12"

    out = load(SEEDS, capsys=capsys).out
    assert Article.objects.count() == 5
    assert "0 created, 5 unchanged" in out


@pytest.mark.django_db
def test_offsets_do_not_move_on_reimport():
    load(SEEDS)
    before = dict(Article.objects.values_list("content_hash", "text"))
    load(SEEDS)
    assert dict(Article.objects.values_list("content_hash", "text")) == before


@pytest.mark.django_db
def test_crlf_and_bom_copy_is_the_same_article(tmp_path):
    original = (SEEDS / "001_622b7633600e6242.txt").read_bytes()
    copy = tmp_path / "copy.txt"
    copy.write_bytes(b"\xef\xbb\xbf" + original.replace(b"\n", b"\r\n"))
    load(SEEDS / "001_622b7633600e6242.txt", copy)
    assert Article.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"caf\xe9 au lait, latin-1", "not UTF-8"),
        (b"", "empty file"),
        (b"  \n\n ", "empty file"),
        (bytes(range(256)) * 8, "binary file"),
    ],
)
def test_bad_file_gives_one_line_and_loses_nothing(tmp_path, capsys, content, message):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    with pytest.raises(CommandError, match="1 failed"):
        call_command(
            "load_articles",
            str(SEEDS / "001_622b7633600e6242.txt"),
            str(bad),
            str(SEEDS / "004_940bfc33d1c3e862.txt"),
        )
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith(f"{bad}: error: {message}")
    # The good files on either side of the bad one are loaded whole.
    assert Article.objects.count() == 2


@pytest.mark.django_db
def test_missing_path_is_an_error(capsys):
    with pytest.raises(CommandError):
        call_command("load_articles", "/no/such/folder")
    assert "/no/such/folder: error: no such file or folder" in capsys.readouterr().err
    assert Article.objects.count() == 0


def test_command_exits_non_zero_from_the_shell(tmp_path):
    import subprocess
    import sys

    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"\xff\xfe\x00\x00garbage")
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "manage.py", "load_articles", str(bad)],
        cwd=root,
        capture_output=True,
        text=True,
        env={"PATH": "", "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"},
    )
    assert result.returncode != 0
    assert f"{bad}: error:" in result.stderr
    assert "Traceback" not in result.stderr
