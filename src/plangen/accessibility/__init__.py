"""The accessibility check (WCAG 2.2 AA) of a built .docx or .html."""
