"""The Word template: finding its tags, checking them against the plan model, the context a
template sees, the cache of what is made from a template alone, and rendering it with docxtpl.
"""
