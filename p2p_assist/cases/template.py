"""The case.toml a new case starts from.

Fields a call needs but the clinician has not filled in yet are left empty or commented out,
never given a plausible default: an age of 0 or a letter dated today would make a blank case
look ready, and would count the P2P window from the wrong day.
"""

TEMPLATE = """\
# A p2p-assist case. De-identified: never put the patient's name here.
# Fill in what you have, then run `p2p-assist case check <id>`: it lists what a call still
# needs (marked "required" below) and the gaps a reviewer could exploit.
title = ""
risk = ""                    # current safety risk and why it persists
specialty_needed = ""        # the reviewer specialty this case calls for
prior_p2p = "none"           # none | held | scheduled (one P2P per denial; set after a call)
# prior_p2p_on = 2026-11-19      # the day the P2P was held or is booked for
keep_audio = true            # keep each call's audio beside its transcript
# audio_retention_days = 30  # delete kept audio older than this when the app starts
# p2p_requested_on = 2026-11-17  # the day you asked the plan for the P2P
# appeal_filed_on = 2026-11-30   # once a written appeal is filed, most plans hold no P2P
notes = ""

[clinician]
name = ""                    # required: your name as the reviewer will hear it
credentials = ""
specialty = ""

[patient]
# age = 15                   # required: in years
sex = ""                     # required
demographics = ""

[payer]
name = ""                    # required
plan = ""
rules = "generic"            # P2P process rules from prompts/payer_rules/: generic | illinois
p2p_window_days = 10         # calendar days from the denial letter
p2p_phone = ""

[request]
service = ""                 # required: what was requested
level_of_care = ""
codes = []
frequency = ""
urgent = false               # urgent care denied -> expedited review

[denial]
# letter_date = 2026-11-16   # required: the date printed on the denial letter
reason = ""                  # required: the payer's own words, from the letter
reason_code = ""
policy = ""
criteria_set = ""
one_sentence_answer = ""

# Repeat each block as needed (at least one diagnosis is required):
# [[diagnoses]]
# code = "F33.2"
# description = "Major depressive disorder, recurrent, severe"
# primary = true
#
# [[measures]]
# instrument = "PHQ-A"
# higher_is_worse = true
# bands = [{ at_least = 0, label = "minimal" }, { at_least = 20, label = "severe" }]
# readings = [{ date = 2026-02-01, value = 14 }, { date = 2026-11-10, value = 23 }]
#
# [[treatments]]
# name = "fluoxetine"
# dose = "20 mg daily"
# start = 2026-02-01
# end = 2026-05-01
# outcome = "partial response"
# stopped_because = ""
#
# [[guidelines]]
# name = ""
# organisation = ""
# year = 2021
# recommends = ""
#
# [[criteria]]
# text = "the payer policy's criterion"
# evidence = "how this patient meets it"
"""
