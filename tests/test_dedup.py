"""Near-duplicates are decided on the prose of a page, not on its furniture."""

from __future__ import annotations

from newsloom import dedup

REPORT = (
    "Firefighters from three towns spent the night fighting a blaze that destroyed a grain store near the "
    "river crossing on Tuesday evening, the county fire service said.\n\n"
    "Nobody was hurt, but the owner said the harvest of two farms had been stored in the building and was "
    "lost, a blow to families who had planned to sell it at the market in the spring.\n\n"
    "Investigators will examine the wiring of a dryer installed last year, a spokesman for the fire "
    "service told reporters at the scene on Wednesday morning."
)
WALL = (
    "Sign in\nCreate an account\nForgot your password?\nContinue with email\nWeather\nTraffic\nSports\n"
    "Watch live\nYou need to be signed in to read this story.\nTerms of use\nPrivacy policy\nContact us\n"
)


def test_two_copies_of_one_report_are_copies_under_different_furniture():
    a = dedup.signature("Home\nNews\nLocal\n" + REPORT + "\nShare this story\nMost read")
    b = dedup.signature("Menu\nSubscribe\n" + REPORT + "\nComments are closed.")
    assert a is not None and b is not None and dedup.is_copy(a, b)


def test_pages_whose_only_text_is_a_sign_in_wall_are_never_copies():
    # two sites built on one template: the same wall, word for word, on pages of different incidents
    assert dedup.signature(WALL + "Elm Street shooting leaves one hurt\n") is None
    assert dedup.signature(WALL + "Man charged after crash on Route 9\n") is None


def test_a_short_brief_is_not_compared():
    assert (
        dedup.signature("Police closed Main Street for two hours on Monday after a gas leak was reported.")
        is None
    )
