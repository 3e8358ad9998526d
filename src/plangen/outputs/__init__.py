"""What a build writes besides the Word plan: the returns report (report), the web page (web)
and the PDF (pdf). A new output of the plan, such as a progress report, goes here."""
