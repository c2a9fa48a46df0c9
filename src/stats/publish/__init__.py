"""Publishing: a meeting's statistics section as a static web folder and as a PDF.

`stats.publish.site.publish_meeting` writes the folder (pages, bundled plotly.js, pictures,
downloads, PDF, the accessibility statement); `stats.publish.render.section_pdf` prints one
section to PDF (`stats export --format pdf`). Nothing is imported here, so the exports can use
`render` without importing `site`, which uses the exports.
"""
