from tandem.web.markdown import render_markdown


def test_markdown_renders_formatting_and_links():
    html = render_markdown("**Grow** with [docs](https://example.com)\n\n- one\n- two")
    assert "<strong>Grow</strong>" in html
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">docs</a>' in html
    assert "<li>one</li>" in html


def test_markdown_never_lets_script_style_or_javascript_links_through():
    html = render_markdown(
        '<script>alert(1)</script> <img src=x onerror="alert(2)"> '
        '<p style="color:red">x</p> [click](javascript:alert(3))'
    )
    # Typed HTML shows up as text, never as elements.
    assert "<script" not in html
    assert "<img" not in html
    assert "<p style" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<a " not in html


def test_empty_markdown_is_empty():
    assert render_markdown("") == ""
