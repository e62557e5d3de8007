"""Place levels and hierarchies."""

from newsloom import places as pl


def test_levels_of_place_names():
    assert pl.level("Tajikistan").level == "country"
    assert pl.level("Indiana").level == "state"
    assert pl.level("Ind.").name == "Indiana"
    assert pl.level("Lake County").level == "county"
    assert pl.level("300 block of North Street").level == "street"
    assert pl.level("Dushanbe").level == "town"


def test_a_town_lies_in_the_region_the_text_names():
    assert pl.town_in("Gary", "Indiana") == ("Indiana", "United States")
    assert pl.town_in("Astana") == (None, "Kazakhstan")
    assert pl.town_in("Doha", None, "Tajikistan") == (None, None)


def test_authorities_and_headlines_name_towns():
    assert pl.leading_place("Elgin Police Department") == "Elgin"
    assert pl.leading_place("State Department") is None
    assert "Tulsa" in pl.towns_named("Woman Hurt, Two Held In Tulsa", "a woman was hurt")
    # a common word the report writes in lower case is no town, whatever GeoNames says
    assert "Police" not in pl.towns_named("Police: Two Hurt In Tulsa", "the police said")


def test_the_towns_table_is_cached_and_a_broken_cache_is_rebuilt(tmp_path, monkeypatch):
    from newsloom import places

    monkeypatch.setenv("NEWSLOOM_CACHE", "")
    places.towns.cache_clear()
    fresh = places.towns()
    monkeypatch.setenv("NEWSLOOM_CACHE", str(tmp_path))
    places.towns.cache_clear()
    assert places.towns() == fresh  # built, and written
    (cached,) = tmp_path.iterdir()
    places.towns.cache_clear()
    assert places.towns() == fresh  # read back
    cached.write_bytes(b"not gzip at all")
    places.towns.cache_clear()
    assert places.towns() == fresh  # a broken cache is rebuilt, never an error
    places.towns.cache_clear()
