"""The lead workspace's views: widgets and layout only, no facade calls.

A view fills itself from values it is given (an ``Evaluation``, a status dict, a
tuple of gates) and says what the lead did through signals; the controllers in
``annotator.gui.lead.controllers`` decide what happens then.
"""
