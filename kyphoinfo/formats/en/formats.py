# Patients read dates in full: "November 24, 2026", not "Nov. 24, 2026".
DATE_FORMAT = "F j, Y"
