"""
Every public page, in headless Chromium: axe-core's WCAG 2.0/2.1/2.2 A and AA
rules in light and dark colours at desktop and phone widths, and the checks axe
cannot make (keyboard focus, reflow, text zoom, reduced motion, headings).
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

AXE = Axe()  # the axe-core build that axe-playwright-python ships; no network
WCAG_A_AND_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_report(violations):
    """One readable block per broken rule: what, where, and how to fix it."""
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']}"
            f" — {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            lines.append(f"  at {' '.join(map(str, node['target']))}")
            lines.append(f"     {' '.join(node['html'].split())[:200]}")
            summary = node.get("failureSummary", "").replace("\n", "\n     ")
            lines.append(f"     {summary}")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 375])
def test_page_meets_wcag_a_and_aa(open_page, page_name, width, scheme):
    page = open_page(page_name, width=width, color_scheme=scheme)
    results = AXE.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_A_AND_AA},
            "resultTypes": ["violations"],
        },
    )
    violations = results.response["violations"]
    assert not violations, f"axe found on {page_name}:\n{axe_report(violations)}"


def test_dark_colour_scheme_changes_the_colours(open_page):
    """Otherwise the dark runs above would check the light colours twice."""
    backgrounds = {}
    for scheme in ["light", "dark"]:
        page = open_page("home", color_scheme=scheme)
        backgrounds[scheme] = page.evaluate(
            "getComputedStyle(document.body).backgroundColor"
        )
    assert backgrounds["light"] != backgrounds["dark"]


def test_page_declares_its_language(open_page, page_name):
    page = open_page(page_name)
    expected = "es" if page_name.endswith("-es") else "en"
    assert page.evaluate("document.documentElement.lang") == expected
    # The switcher names the other language in that language, and says so.
    other = "en" if expected == "es" else "es"
    switcher = page.locator(f".language-switcher li[lang={other}]")
    if page_name not in {"not-found", "not-found-es", "gone"}:
        assert switcher.count() == 1


def test_page_has_one_h1_and_an_ordered_outline(open_page, page_name):
    page = open_page(page_name)
    headings = page.evaluate(
        """() => [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")]
            .map(h => [Number(h.tagName[1]), h.textContent.trim()])"""
    )
    outline = "\n".join(
        f"{'  ' * (level - 1)}h{level} {text}" for level, text in headings
    )
    assert [level for level, _ in headings].count(1) == 1, outline
    assert headings[0][0] == 1, f"the first heading is not the h1:\n{outline}"
    for (previous, _), (level, text) in zip(headings, headings[1:], strict=False):
        assert level <= previous + 1, f"h{previous} → h{level} ({text}):\n{outline}"


def test_skip_link_is_the_first_tab_stop_and_jumps_to_main(open_page, page_name):
    page = open_page(page_name)
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    assert focused.get_attribute("href") == "#main"
    box = focused.bounding_box()
    assert box["width"] > 20 and box["height"] > 20, "the skip link stays hidden"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_keyboard_focus_is_visible(open_page, page_name):
    """The first tab stops show an outline (:focus-visible) after a Tab press."""
    page = open_page(page_name)
    for _ in range(5):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const element = document.activeElement;
                const style = getComputedStyle(element);
                return {
                    html: element.outerHTML.slice(0, 120),
                    focusVisible: element.matches(":focus-visible"),
                    outline: [style.outlineStyle, style.outlineWidth],
                };
            }"""
        )
        assert focused["focusVisible"], focused["html"]
        style, width = focused["outline"]
        assert style != "none" and width != "0px", focused


OVERFLOW = """() => {
    const root = document.documentElement;
    const describe = element => [
        element.tagName.toLowerCase(),
        ...(element.id ? [`#${element.id}`] : []),
        ...[...element.classList].map(name => `.${name}`),
    ].join("") + ` (${Math.round(element.getBoundingClientRect().right)} px)`;
    const wide = [...document.body.querySelectorAll("*")]
        .filter(element => element.getBoundingClientRect().right > root.clientWidth + 1)
        .map(describe);
    return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide};
}"""


def assert_no_horizontal_scrolling(page):
    overflow = page.evaluate(OVERFLOW)
    assert overflow["scrollWidth"] <= overflow["clientWidth"], (
        f"{overflow['scrollWidth']} px wide in {overflow['clientWidth']} px; "
        "reaching past the edge: " + ", ".join(overflow["wide"][:12])
    )


def test_page_reflows_at_320_px(open_page, page_name):
    page = open_page(page_name, width=320, height=640)
    assert_no_horizontal_scrolling(page)


@pytest.mark.parametrize("width", [1280, 640])
def test_text_zooms_to_200_percent_without_horizontal_scrolling(
    open_page, page_name, width
):
    sizes = """() => [document.body, document.querySelector("h1")]
        .map(element => parseFloat(getComputedStyle(element).fontSize))"""
    page = open_page(page_name, width=width)
    before = page.evaluate(sizes)
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    after = page.evaluate(sizes)
    assert after == [2 * size for size in before], "text does not scale with rem"
    assert_no_horizontal_scrolling(page)


SCROLL_BEHAVIOR = "getComputedStyle(document.documentElement).scrollBehavior"
MOVING = """() => [...document.querySelectorAll("*")].flatMap(element =>
    [null, "::before", "::after"].filter(pseudo => {
        const style = getComputedStyle(element, pseudo);
        const seconds = `${style.transitionDuration},${style.animationDuration}`;
        return seconds.split(",").some(duration => parseFloat(duration) > 0);
    }).map(pseudo => element.outerHTML.slice(0, 80) + (pseudo || "")))"""


def test_reduced_motion_turns_off_transitions_and_smooth_scrolling(
    open_page, page_name
):
    page = open_page(page_name, reduced_motion="reduce")
    assert page.evaluate(MOVING) == []
    assert page.evaluate(SCROLL_BEHAVIOR) == "auto"


def test_pages_move_without_the_preference(open_page):
    """Shows that the reduced-motion check above compares two different states."""
    page = open_page("not-found", reduced_motion="no-preference")
    assert page.evaluate(MOVING), (
        "no transition left to turn off: is .button still animated?"
    )
    assert page.evaluate(SCROLL_BEHAVIOR) == "smooth"
