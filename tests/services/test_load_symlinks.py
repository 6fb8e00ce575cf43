"""load_articles refuses symbolic links (given or inside a folder) unless told to follow."""

import io

import pytest
from django.core.management import CommandError, call_command

from annotations.models import Article

pytestmark = pytest.mark.django_db

TEXT = "A title\n\n" + " ".join(f"word{n}" for n in range(60)) + "\n"


@pytest.fixture
def tree(tmp_path):
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(TEXT)
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "real.txt").write_text("Real\n\n" + TEXT.replace("word", "real"))
    (folder / "link.txt").symlink_to(secret)
    return folder, secret


def load(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("load_articles", *map(str, args), stdout=out, stderr=err)
    except CommandError as exc:
        err.write(str(exc))
    return out.getvalue(), err.getvalue()


def test_a_symlink_in_a_folder_is_refused_and_the_rest_loads(tree):
    folder, _ = tree
    out, err = load(folder)
    assert "link.txt: error: symbolic link, not followed (use --follow-symlinks)" in err
    assert "1 created" in err and "1 failed" in err
    assert list(Article.objects.values_list("source_file", flat=True)) == [str(folder / "real.txt")]


def test_a_symlink_given_directly_is_refused(tree, tmp_path):
    folder, _ = tree
    alias = tmp_path / "alias"
    alias.symlink_to(folder, target_is_directory=True)
    _, err = load(folder / "link.txt", alias)
    assert err.count("symbolic link, not followed") == 2
    assert not Article.objects.exists()


def test_follow_symlinks_loads_them(tree):
    folder, _ = tree
    out, err = load(folder, "--follow-symlinks")
    assert "2 created" in out, err
    assert Article.objects.count() == 2
