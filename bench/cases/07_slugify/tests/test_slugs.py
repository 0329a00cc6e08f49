from slugs import slugify, unique_slug


def test_short_title() -> None:
    assert slugify("Hello, World!") == "hello-world"


def test_long_title_cut_at_word() -> None:
    title = "Ten things nobody tells you about Python packaging"
    assert slugify(title) == "ten-things-nobody-tells-you"


def test_unique() -> None:
    taken = {"hello-world", "hello-world-2"}
    assert unique_slug("Hello World", taken) == "hello-world-3"
