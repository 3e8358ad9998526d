"""The input side: the coordinator's workbook and the partners' returns, from the schema that
describes them to the merged rows the plan model is made of.

schema → filetypes (what each file is) → read (untrusted workbooks into tables, with sheetxml)
→ validate (coordinator, then returns, then across them; cells parsed by columns with values
and months, warnings from checks) → merge. blank writes the returns partners fill in, from the
same schema, with guidance (what partners are told) shared with the docs.
"""
