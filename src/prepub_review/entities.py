"""Entity names more than one stage knows by name (the ground floor: act/ never imports detect/
for them). The recognizers' entity names live with their recognizers and in rules/policy/."""

CLASSIFICATION_MARK = "CLASSIFICATION_MARK"   # 密级 / 不予公开 markings: never redacted, they withhold
UNVERIFIED_CONTENT = "UNVERIFIED_CONTENT"     # content a reader could not check (a Notice): a person must
