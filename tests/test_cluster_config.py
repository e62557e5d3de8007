"""The clustering's settings and pair model: one object, overridable from a file, checked, listed."""

from __future__ import annotations

import json

import pytest

from newsloom.clustering import config, pairmodel
from newsloom.errors import NewsloomError

from conftest import DEMO, run_cli


def test_every_setting_has_a_kind_and_a_meaning():
    rows = config.SETTINGS.describe()
    assert len(rows) == len({r[0] for r in rows})
    assert all(kind in ("tuned", "bound") and len(meaning) > 20 for _, _, kind, meaning in rows)


def test_a_settings_file_overrides_and_bad_files_are_refused(tmp_path):
    good = tmp_path / "c.toml"
    good.write_text("refine_threshold = 0.6\nfollowups_join = false\n")
    before = config.SETTINGS.refine_threshold
    with config.overridden():
        config.load(good)
        assert config.SETTINGS.refine_threshold == 0.6 and config.SETTINGS.followups_join is False
    assert config.SETTINGS.refine_threshold == before
    for text, message in (
        ("nope = 1\n", "unknown clustering setting 'nope'"),
        ('veto_days = "ten"\n', "must be a number like 10"),
        ("followups_join = 1\n", "must be true or false"),
        ("refine_threshold = \n", "not a TOML file"),
    ):
        bad = tmp_path / "bad.toml"
        bad.write_text(text)
        with config.overridden(), pytest.raises(NewsloomError, match=message):
            config.load(bad)
    with pytest.raises(NewsloomError, match="cannot read"):
        config.load(tmp_path / "absent.toml")


def test_the_pair_model_is_data_with_its_provenance(tmp_path):
    model = pairmodel.PairModel.load()
    assert set(model.weights) == set(pairmodel.FEATURES) and 0 < model.threshold < 1
    assert model.provenance.get("written_by")
    wrong = tmp_path / "m.json"
    wrong.write_text(json.dumps({"features": ["bias"], "weights": [0.0], "threshold": 0.5, "provenance": {}}))
    with pytest.raises(ValueError, match="features"):
        pairmodel.PairModel.load(wrong)


def test_the_command_line_lists_the_settings_and_takes_a_file(tmp_path):
    listed = json.loads(run_cli("cluster-settings", "--json", db=tmp_path / "n.db").stdout)
    names = {s["name"] for s in listed["settings"]}
    assert "refine_threshold" in names and listed["pair_model"]["threshold"] > 0
    settings = tmp_path / "c.toml"
    settings.write_text("nope = 1\n")
    bad = run_cli("--cluster-config", str(settings), "ingest", str(DEMO), db=tmp_path / "n.db", check=False)
    assert bad.returncode == 2 and "unknown clustering setting 'nope'" in bad.stderr
    assert not (tmp_path / "n.db").exists()  # refused before anything was written
