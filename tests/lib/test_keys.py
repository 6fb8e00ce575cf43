from annotations.lib import keys


def test_keys_never_start_with_a_dash(monkeypatch):
    # One key in 64 used to: its prefix then read as an option to `--revoke`.
    drawn = iter(["-starts-with-a-dash" + "x" * 24, "fine" + "y" * 39])
    monkeypatch.setattr(keys.secrets, "token_urlsafe", lambda n: next(drawn))
    assert keys.new_key() == "fine" + "y" * 39


def test_keys_are_long_random_and_distinct():
    made = {keys.new_key() for _ in range(200)}
    assert len(made) == 200
    assert all(len(k) == 43 and not k.startswith("-") for k in made)
