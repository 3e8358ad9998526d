"""Office files as plangen meets them: XML namespaces, the one policy for opening a zip package
it did not make (packages), a Word styles part (wordstyles), and untrusted text written into
spreadsheet cells (cells). Shared by the input, template, output and accessibility stages."""
