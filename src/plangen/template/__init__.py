"""The Word template: reading its tags (tags), checking them (check, with structure and
expressions) against the plan model, the context a template sees (context, with the
plan-at-a-glance chart), joining split tags (mending), the cache of what is made from a
template alone (cache), and filling it in with docxtpl (render, with render_errors). The web
page (outputs.web) is filled in from the same context.
"""
