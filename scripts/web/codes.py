"""Valid identifiers for the web check's registry: a unified social credit code (GB 32100-2015) or a
resident ID number (GB 11643), with their check characters, as Tests/Support/Registry.swift makes them.

    codes.py uscc REGION SERIAL        codes.py id REGION YYYYMMDD SEQUENCE
"""
import sys

if sys.argv[1] == "uscc":
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    first17 = "12" + sys.argv[2] + "%09d" % int(sys.argv[3])
    c = 31 - sum(alphabet.index(ch) * w for ch, w in zip(first17, weights)) % 31
    print(first17 + alphabet[0 if c == 31 else c])
else:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    first17 = sys.argv[2] + sys.argv[3] + "%03d" % (int(sys.argv[4]) % 1000)
    print(first17 + "10X98765432"[sum(int(ch) * w for ch, w in zip(first17, weights)) % 11])
