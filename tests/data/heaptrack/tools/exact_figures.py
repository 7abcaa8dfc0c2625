#!/usr/bin/env python3
"""Exact figures of a heaptrack 1.4 recording, computed independently of heaptrack.

Follows shared/formats/heaptrack.md section 7 (the algorithm that reproduces
heaptrack_print 1.4): calls, temporary allocations (with heaptrack's `- 0`
quirk), peak heap bytes and time, leaked bytes before and after suppressions,
allocated bytes, timestamps, peak RSS. Standard library only.

Usage: exact_figures.py RECORDING [--suppressions FILE]... [--as-heaptrack-reads-cut-line]
(prints JSON)

Recordings may be zstd (decoded with the `zstd -dc` tool), gzip (gzip module)
or plain text; the kind is taken from the first bytes, not the file name.
Cut recordings are accepted: whatever decodes is used, an incomplete last line
is left out (and reported), and the result says why the file is incomplete.
"""

import gzip
import json
import re
import subprocess
import sys
import zlib

# heaptrack 1.4's built-in leak suppressions (see the format note, section 7).
BUILTIN_SUPPRESSIONS = [
    "__nss_module_allocate",
    "__gconv_read_conf",
    "__new_exitfn",
    "tzset_internal",
    "dl_open_worker",
    "g_main_context_new",
    "g_thread_self",
]


def read_recording(path):
    """Returns (decompressed bytes, compression name, decoder error or None)."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:4] == b"\x28\xb5\x2f\xfd" or (
        len(raw) >= 4 and 0x50 <= raw[0] <= 0x5F and raw[1:4] == b"\x2a\x4d\x18"
    ):
        # The zstd tool writes what it could decode before it reports a cut frame.
        proc = subprocess.run(
            ["zstd", "-dc", "-q", "--no-progress"],
            input=raw,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            check=False,
        )
        error = None
        if proc.returncode != 0:
            message = proc.stderr.decode("utf-8", "replace").strip()
            # drop zstd's "/*stdin*\ : " prefix, keep its reason
            message = re.sub(r"^/\*stdin\*\\ : ", "", message)
            error = "zstd: " + (message or "exit status %d" % proc.returncode)
        return proc.stdout, "zstd", error
    if raw[:2] == b"\x1f\x8b":
        return _gunzip_tolerant(raw)
    return raw, "none", None


def _gunzip_tolerant(raw):
    """gzip, several members allowed; a cut member yields what was decoded."""
    try:
        return gzip.decompress(raw), "gzip", None
    except (EOFError, OSError, zlib.error) as e:
        first_error = str(e) or type(e).__name__
    # Decode member by member with zlib so the readable prefix survives.
    out = bytearray()
    data = raw
    while data:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out += d.decompress(data)
        except zlib.error as e:
            return bytes(out), "gzip", str(e)
        if not d.eof:
            return bytes(out), "gzip", first_error
        data = d.unused_data
    return bytes(out), "gzip", first_error


def template_match(template, text):
    """LSAN suppression template rules: `*` matches any run of characters, a
    leading `^` anchors at the start, a `$` anchors at the end; otherwise the
    template may match anywhere. An empty template matches any non-empty text."""
    if not text:
        return False
    anchored = template.startswith("^")
    if anchored:
        template = template[1:]
    anchored_end = template.endswith("$")
    if anchored_end:
        template = template[:-1]
    regex = ".*?".join(re.escape(part) for part in template.split("*"))
    if anchored:
        regex = "^" + regex
    if anchored_end:
        regex += "$"
    return re.search(regex, text, re.S) is not None


def matches_suppression(pattern, name):
    return pattern == name or template_match(pattern, name)


def suppression_patterns(lines):
    """`leak:PATTERN` rules from suppression-file lines, the way heaptrack reads
    them: trimmed, `#` comments and empty lines skipped, other kinds ignored."""
    patterns = []
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("leak:"):
            patterns.append(line[5:])
    return patterns


def decode_embedded_suppression(payload):
    """heaptrack 1.4's libheaptrack writes `S` lines as sized strings
    (`S 10 leak:leakyHelper`) although its reader takes the rest of the line.
    Returns (rule text, whether the payload was sized)."""
    m = re.match(r"([0-9a-f]+) (.*)$", payload, re.S)
    if m and int(m.group(1), 16) == len(m.group(2).encode("utf-8", "surrogateescape")):
        return m.group(2), True
    return payload, False


def _split_sized(rest):
    """`LEN STRING` (format >= 3): returns the string or None when malformed."""
    length_text, sep, tail = rest.partition(" ")
    try:
        length = int(length_text, 16)
    except ValueError:
        return None
    if not sep and length == 0:
        return ""
    if len(tail.encode("utf-8", "surrogateescape")) < length:
        return None
    return tail.encode("utf-8", "surrogateescape")[:length].decode("utf-8", "surrogateescape")


def compute(path, user_suppression_files=(), read_incomplete_last_line=False):
    """read_incomplete_last_line=True reads a cut last line as if it were whole,
    the way heaptrack_print 1.4 does (it parses "+ 1" cut from "+ 1a" as "+ 1")."""
    data, compression, decoder_error = read_recording(path)

    complete_text = data
    incomplete_last_line = None
    if data and not data.endswith(b"\n"):
        cut = data.rfind(b"\n") + 1
        complete_text = data[:cut]
        incomplete_last_line = data[cut:].decode("utf-8", "surrogateescape")
    lines = complete_text.decode("utf-8", "surrogateescape").split("\n")[:-1]
    if read_incomplete_last_line and incomplete_last_line is not None:
        lines.append(incomplete_last_line)

    version_hex = None
    file_format = None
    command = None
    page_size = 0
    physical_pages = 0
    embedded_suppressions = []
    attached = False

    strings = []       # 1-based in the file: strings[k-1]
    ips = []           # (module, [function, file]..) string indices per ip
    traces = []        # (ip index, parent trace index)
    sizes = []         # allocation info i -> (size, trace index); 0-based
    counts = {t: 0 for t in "+-asitcR"}
    unknown_lines = 0
    unparsable_event_lines = 0
    comment_lines = 0

    calls = 0
    allocated = 0
    current = 0
    peak = 0
    peak_time = 0
    temporary = 0          # heaptrack_print's semantics: `last` resets to 0
    temporary_strict = 0   # the same without the `- 0` quirk
    last = 0
    last_strict = None
    now = 0
    max_rss = 0
    live = {}              # allocation info -> number of live blocks
    events_after_last_timestamp = 0
    trailer_seen = False

    for line in lines:
        if line == "" or line.startswith("#"):
            comment_lines += 1
            if line.startswith("# ips:"):
                trailer_seen = True
            continue
        kind = line[0]
        rest = line[2:] if len(line) > 2 else ""
        if kind in "+-":
            counts[kind] += 1
            try:
                i = int(rest, 16)
                size = sizes[i][0]
            except (ValueError, IndexError):
                unparsable_event_lines += 1
                continue
            events_after_last_timestamp += 1
            if kind == "+":
                calls += 1
                allocated += size
                current += size
                live[i] = live.get(i, 0) + 1
                if current > peak:
                    peak = current
                    peak_time = now
                last = i
                last_strict = i
            else:
                current -= size
                live[i] = live.get(i, 0) - 1
                if i == last:
                    temporary += 1
                if i == last_strict:
                    temporary_strict += 1
                last = 0
                last_strict = None
        elif kind == "a":
            counts["a"] += 1
            size_text, _, trace_text = rest.partition(" ")
            try:
                sizes.append((int(size_text, 16), int(trace_text, 16)))
            except ValueError:
                unparsable_event_lines += 1
                sizes.append((0, 0))
        elif kind == "s":
            counts["s"] += 1
            text = _split_sized(rest)
            strings.append(text if text is not None else "")
        elif kind == "i":
            counts["i"] += 1
            try:
                fields = [int(x, 16) for x in rest.split(" ")]
            except ValueError:
                fields = [0, 0]
            # ip, module, then function [file line [inlFunction inlFile inlLine]...]
            named = [fields[1] if len(fields) > 1 else 0]
            if len(fields) > 2:
                named.append(fields[2])
            if len(fields) > 3:
                named.append(fields[3])
            for k in range(5, len(fields) - 2, 3):
                named.extend(fields[k : k + 2])
            ips.append(named)
        elif kind == "t":
            counts["t"] += 1
            ip_text, _, parent_text = rest.partition(" ")
            try:
                traces.append((int(ip_text, 16), int(parent_text, 16)))
            except ValueError:
                traces.append((0, 0))
        elif kind == "c":
            counts["c"] += 1
            try:
                now = int(rest, 16)
            except ValueError:
                unparsable_event_lines += 1
            events_after_last_timestamp = 0
        elif kind == "R":
            counts["R"] += 1
            try:
                max_rss = max(max_rss, int(rest, 16))
            except ValueError:
                unparsable_event_lines += 1
        elif kind == "v":
            parts = rest.split(" ")
            version_hex = parts[0]
            file_format = int(parts[1], 16) if len(parts) > 1 else 1
        elif kind == "X":
            command = rest
        elif kind == "I":
            parts = rest.split(" ")
            page_size = int(parts[0], 16)
            physical_pages = int(parts[1], 16) if len(parts) > 1 else 0
        elif kind == "S":
            embedded_suppressions.append(rest)
        elif kind == "A":
            # Attached mid-run: heaptrack forgets the totals seen so far.
            attached = True
            calls = allocated = current = peak = peak_time = temporary = temporary_strict = 0
            live = {}
        else:
            unknown_lines += 1

    # Leak suppressions: a rule suppresses a leaking allocation site when it
    # matches the module, function or file name (inlined frames included) of
    # any frame of the site's backtrace. Like heaptrack, frames of
    # `operator new` are not part of a backtrace.
    def string_at(k):
        return strings[k - 1] if 0 < k <= len(strings) else ""

    op_new = {
        "operator new(unsigned long)",
        "operator new[](unsigned long)",
        "operator new(unsigned int)",
        "operator new[](unsigned int)",
    }

    def trace_names(trace_index):
        names = []
        seen = set()
        while 0 < trace_index <= len(traces) and trace_index not in seen:
            seen.add(trace_index)
            ip_index, parent = traces[trace_index - 1]
            if 0 < ip_index <= len(ips):
                named = ips[ip_index - 1]
                if not (len(named) > 1 and string_at(named[1]) in op_new):
                    names.extend(string_at(k) for k in named if k)
            trace_index = parent
        return names

    def suppressed_bytes(patterns):
        total = 0
        for i, n in live.items():
            if n <= 0:
                continue
            size, trace = sizes[i]
            names = trace_names(trace)
            if any(matches_suppression(p, name) for p in patterns for name in names):
                total += size * n
        return total

    decoded = [decode_embedded_suppression(p) for p in embedded_suppressions]
    # What heaptrack_print 1.4 does with an `S` line: it takes the rest of the
    # line as the rule, so a sized payload ("10 leak:x") is an invalid rule.
    embedded_as_read_by_1_4 = suppression_patterns(embedded_suppressions)
    embedded_decoded = suppression_patterns(text for text, _ in decoded)

    user_patterns = []
    for f in user_suppression_files:
        with open(f, encoding="utf-8") as fh:
            user_patterns += suppression_patterns(fh.read().split("\n"))

    suppressed = suppressed_bytes(BUILTIN_SUPPRESSIONS + embedded_as_read_by_1_4)
    suppressed_decoded = suppressed_bytes(BUILTIN_SUPPRESSIONS + embedded_decoded)
    result = {
        "heaptrack_version_hex": version_hex,
        "file_format_version": file_format,
        "command": command,
        "lines": len(lines),
        "plus_events": counts["+"],
        "minus_events": counts["-"],
        "allocation_info_lines": counts["a"],
        "string_lines": counts["s"],
        "ip_lines": counts["i"],
        "trace_lines": counts["t"],
        "timestamp_lines": counts["c"],
        "rss_lines": counts["R"],
        "unknown_lines": unknown_lines,
        "unparsable_event_lines": unparsable_event_lines,
        "total_allocations": calls,
        "total_allocated_bytes": allocated,
        "temporary_allocations_print_semantics": temporary,
        "temporary_allocations_strict": temporary_strict,
        "peak_heap_bytes": peak,
        "peak_time_ms": peak_time,
        "leaked_bytes_before_suppressions": current,
        "leaked_allocations": sum(n for n in live.values() if n > 0),
        "suppressed_leak_bytes": suppressed,
        "leaked_bytes_after_suppressions": current - suppressed,
        "embedded_suppression_lines": embedded_suppressions,
        "embedded_suppression_lines_sized": any(sized for _, sized in decoded),
        "embedded_suppressions_decoded": [text for text, _ in decoded],
        "suppressed_leak_bytes_embedded_rules_decoded": suppressed_decoded,
        "leaked_bytes_after_suppressions_embedded_rules_decoded": current - suppressed_decoded,
        "last_timestamp_ms": now,
        "total_runtime_ms": now + 1,
        "page_size": page_size,
        "physical_pages": physical_pages,
        "peak_rss_pages": max_rss,
        "peak_rss_bytes": max_rss * page_size,
        "attached": attached,
        "decompressed_bytes": len(data),
        "compression": compression,
        "events_after_last_timestamp": events_after_last_timestamp,
        "has_trailer": trailer_seen,
        "decoder_error": decoder_error,
        "incomplete_last_line": incomplete_last_line,
        "complete": trailer_seen and decoder_error is None and incomplete_last_line is None,
    }
    if user_patterns:
        # heaptrack_print 1.4 (--suppressions): the user rules overwrite the
        # first built-in rules and as many empty rules are appended; an empty
        # rule matches every non-empty name, so every leak is suppressed.
        buggy = list(BUILTIN_SUPPRESSIONS)
        buggy[: len(user_patterns)] = user_patterns[: len(buggy)]
        buggy += [""] * len(user_patterns) + embedded_as_read_by_1_4
        with_user_1_4 = suppressed_bytes(buggy)
        # --disable-builtin-suppressions --suppressions FILE: user rules only
        # (plus the file's S lines, which 1.4 cannot read).
        user_only = suppressed_bytes(user_patterns + embedded_as_read_by_1_4)
        # What the rules mean: built-in + embedded (decoded) + user rules.
        intended = suppressed_bytes(BUILTIN_SUPPRESSIONS + embedded_decoded + user_patterns)
        result["user_suppressions"] = user_patterns
        result["suppressed_leak_bytes_with_user_suppressions_heaptrack_1_4"] = with_user_1_4
        result["leaked_bytes_with_user_suppressions_heaptrack_1_4"] = current - with_user_1_4
        result["suppressed_leak_bytes_user_rules_without_builtin"] = user_only
        result["leaked_bytes_user_rules_without_builtin"] = current - user_only
        result["suppressed_leak_bytes_all_rules_intended"] = intended
        result["leaked_bytes_all_rules_intended"] = current - intended
    result["note"] = (
        "computed by an independent re-parse of the decompressed file following "
        "shared/formats/heaptrack.md section 7; "
        + ("the incomplete last line is read as if whole (as heaptrack_print 1.4 does); "
           if read_incomplete_last_line else "an incomplete last line is left out; ")
        + "leaked_bytes_before_suppressions counts every live block; suppressed_leak_bytes "
        "is what heaptrack_print 1.4 subtracts by default (built-in rules plus S lines read "
        "as 1.4 reads them); *_embedded_rules_decoded applies the S lines' sized payload"
    )
    return result


def main(argv):
    args = argv[1:]
    supp = []
    paths = []
    as_heaptrack = False
    while args:
        a = args.pop(0)
        if a == "--suppressions" and args:
            supp.append(args.pop(0))
        elif a == "--as-heaptrack-reads-cut-line":
            as_heaptrack = True
        else:
            paths.append(a)
    if len(paths) != 1:
        sys.stderr.write(__doc__)
        return 2
    json.dump(compute(paths[0], supp, as_heaptrack), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
