"""What a build writes besides the Word plan: the returns report, the web page, the chart and
the PDF."""
