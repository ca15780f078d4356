#!/usr/bin/env python3
"""Where Carnet's CPU goes during one phase of bench/run.sh, from a JFR recording.

Run Carnet with BENCH_CARNET_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/carnet.jfr,settings=profile,dumponexit=true"
then:  jfr print --json --stack-depth 80 --events jdk.ExecutionSample /tmp/carnet.jfr > /tmp/samples.json
       (jfr print keeps only 5 frames of each stack unless told otherwise)
       python3 bench/jfr-breakdown.py /tmp/samples.json SchedulingController.book
The phase is the longest run of samples whose stack holds the given frame; every Java sample
in that window is counted under the library of its nearest recognised frame.
"""
import json, sys, collections, datetime
data = json.load(open(sys.argv[1]))
events = data["recording"]["events"]
def t(e):
    return datetime.datetime.fromisoformat(e["values"]["startTime"].replace("Z", "+00:00")).timestamp()
def frames(e):
    st = e["values"].get("stackTrace") or {}
    return [f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"] for f in st.get("frames", [])]
samples = [(t(e), frames(e)) for e in events]
marker = sys.argv[2]
times = sorted(ts for ts, fr in samples if any(marker in f for f in fr))
clusters, cur = [], [times[0]]
for x in times[1:]:
    if x - cur[-1] > 5: clusters.append(cur); cur = [x]
    else: cur.append(x)
clusters.append(cur)
print("clusters:", [(round(c[0]-clusters[0][0],1), round(c[-1]-c[0],1), len(c)) for c in clusters])
main = max(clusters, key=len)
lo, hi = main[0], main[-1]
cats = [("PostgreSQL JDBC driver", ("org.postgresql",)), ("HikariCP", ("com.zaxxer",)),
        ("crypto (AES-GCM, SHA, random)", ("javax.crypto", "com.sun.crypto", "sun.security", "java.security")),
        ("JSON (Jackson)", ("com.fasterxml.jackson", "tools.jackson")),
        ("Spring Security", ("org.springframework.security",)),
        ("Tomcat / HTTP", ("org.apache.tomcat", "org.apache.coyote", "org.apache.catalina", "sun.nio", "java.nio")),
        ("Spring (MVC, JDBC, tx, validation)", ("org.springframework", "org.hibernate.validator", "jakarta.")),
        ("Carnet code", ("org.carnet",))]
count = collections.Counter(); tops = collections.Counter(); n = 0
for ts, fr in samples:
    if not (lo <= ts <= hi) or not fr: continue
    n += 1
    tops[fr[0]] += 1
    owner = None
    for f in fr:
        for name, prefixes in cats:
            if f.startswith(prefixes):
                owner = name; break
        if owner: break
    count[owner or "other (JDK, logging...)"] += 1
print(f"window {hi-lo:.1f} s, {n} samples on Java threads")
for name, c in count.most_common(): print(f"  {100*c/n:5.1f} %  {name}")
print("top frames:")
for f, c in tops.most_common(12): print(f"  {100*c/n:5.1f} %  {f}")
