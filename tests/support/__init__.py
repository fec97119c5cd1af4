"""What the tests share: building the site, serving it like GitHub Pages, running the pages' code blocks."""
