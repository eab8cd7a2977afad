"""Writes the first N rows of a labelled CSV (header text,label) as sample.csv and labels.txt, one label a line."""
import csv
import sys

source, count, sample_path, labels_path = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
with open(source, newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))[:count]
if len(rows) < count:
    sys.exit(f"{source} has only {len(rows)} rows; ask for at most that many")
with open(sample_path, "w", newline="", encoding="utf-8") as f:
    writer = csv.writer(f)
    writer.writerow(["text", "label"])
    for row in rows:
        # A text spanning lines stays one record in the CSV; labels.txt needs one line per label.
        writer.writerow([row["text"], row["label"]])
with open(labels_path, "w", encoding="utf-8") as f:
    for row in rows:
        f.write(row["label"].replace("\n", " ") + "\n")
