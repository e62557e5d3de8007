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
