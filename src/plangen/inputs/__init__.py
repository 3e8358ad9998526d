"""The input side: the coordinator's workbook and the partners' returns, from the schema that
describes them to the merged rows the plan model is made of.

schema → read (untrusted workbooks) → validate (with checks) → merge; blank writes the returns
partners fill in, from the same schema.
"""
