#!/usr/bin/env bash
# Compares Voussoir's import with the tools a user would otherwise run, on
# a generated corpus: 200 photos of 4000x3000 with EXIF (half with GPS) and
# a 1,000,000-point GPX track. Results go to standard output, ending with
# the table of docs/performance.md (medians, CPU time, ratio to each peer).
#
# Needs: vips, exiftool, vipsthumbnail, gpsbabel, ogr2ogr (gdal-bin),
# hyperfine, GNU time, python3. Usage, from the repository root:
#   bash crates/ingest/benches/peers.sh [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/../../.."
ROOT=$PWD
WORK=${1:-/tmp/voussoir-bench}
PHOTOS=${PHOTOS:-200}
mkdir -p "$WORK"
cargo build --release -q
V="$ROOT/target/release/voussoir"

# --- Corpus -----------------------------------------------------------------
if [ ! -f "$WORK/photos/IMG_$(printf %04d "$PHOTOS").jpg" ]; then
    rm -rf "$WORK/photos" && mkdir -p "$WORK/photos"
    # A noisy colour field with hard-edged shapes: real-photo-like entropy.
    vips gaussnoise "$WORK/n1.v" 4000 3000 --sigma 5 --mean 110
    vips gaussnoise "$WORK/n2.v" 4000 3000 --sigma 5 --mean 128
    vips gaussnoise "$WORK/n3.v" 4000 3000 --sigma 5 --mean 90
    vips bandjoin "$WORK/n1.v $WORK/n2.v $WORK/n3.v" "$WORK/noise.v"
    vips xyz "$WORK/xyz.v" 4000 3000
    vips extract_band "$WORK/xyz.v" "$WORK/x.v" 0
    vips linear "$WORK/x.v" "$WORK/ramp.v" 0.03 0 --uchar
    vips add "$WORK/noise.v" "$WORK/ramp.v" "$WORK/field.v"
    vips cast "$WORK/field.v" "$WORK/field8.v" uchar
    vips jpegsave "$WORK/field8.v" "$WORK/base.jpg" --Q 90
    rm -f "$WORK"/*.v
    python3 - "$WORK" "$PHOTOS" <<'PY'
import datetime as dt, math, shutil, subprocess, sys
work, count = sys.argv[1], int(sys.argv[2])
start = dt.datetime(2024, 7, 14, 8, 0, 0)  # UTC; photos say local +02:00
args = []
for index in range(1, count + 1):
    name = f"{work}/photos/IMG_{index:04d}.jpg"
    shutil.copy(f"{work}/base.jpg", name)
    taken = start + dt.timedelta(seconds=10 * index)
    local = taken + dt.timedelta(hours=2)
    args += ["-Make=Bench", "-Model=Camera", f"-DateTimeOriginal={local:%Y:%m:%d %H:%M:%S}", "-OffsetTimeOriginal=+02:00"]
    if index % 2:
        second = 10 * index + 60
        lon = -3.46 + 0.001 * math.cos(second / 600.0)
        lat = 48.73 + 0.001 * math.sin(second / 600.0)
        args += [f"-GPSLatitude={lat}", "-GPSLatitudeRef=N", f"-GPSLongitude={-lon}", "-GPSLongitudeRef=W"]
    args += ["-overwrite_original", name, "-execute"]
with open(f"{work}/exif-args.txt", "w") as out:
    out.write("\n".join(args) + "\n")
PY
    exiftool -q -@ "$WORK/exif-args.txt" >/dev/null
fi
if [ ! -f "$WORK/big.gpx" ]; then
    python3 - "$WORK" <<'PY'
import datetime as dt, math, sys
work = sys.argv[1]
start = dt.datetime(2024, 7, 14, 8, 0, 0)
with open(f"{work}/big.gpx", "w") as out:
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="bench" xmlns="http://www.topografix.com/GPX/1/1">\n<trk><name>big</name><trkseg>\n')
    for second in range(1_000_000):
        lon = -3.46 + 0.001 * math.cos(second / 600.0)
        lat = 48.73 + 0.001 * math.sin(second / 600.0)
        time = (start + dt.timedelta(seconds=second)).strftime("%Y-%m-%dT%H:%M:%SZ")
        out.write(f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}"><ele>{10 + second % 7}.0</ele><time>{time}</time></trkpt>\n')
    out.write("</trkseg></trk>\n</gpx>\n")
PY
    head -c 2000000 "$WORK/big.gpx" | head -n 20000 > "$WORK/track.gpx" && echo '</trkseg></trk></gpx>' >> "$WORK/track.gpx"
fi
COURSE="$ROOT/fixtures/course.toml"
cat > "$WORK/fresh-book.sh" <<SH
#!/usr/bin/env bash
set -e
rm -rf "\$1" && "$V" -q init "\$1" && "$V" -q --book "\$1" course load "$COURSE" >/dev/null
"$V" -q --book "\$1" inspection new --structure PONT-LEGUER --kind IDP >/dev/null
SH
chmod +x "$WORK/fresh-book.sh"
fresh_book() { "$WORK/fresh-book.sh" "$1"; }
echo "machine: $(nproc) cores, $(uname -r); photos: $PHOTOS x $(du -sh "$WORK/photos" | cut -f1)"
JSON="$WORK/results"
mkdir -p "$JSON"
bench() { # NAME RUNS hyperfine-arguments...
    local name=$1 runs=$2
    shift 2
    hyperfine --style basic --runs "$runs" --export-json "$JSON/$name.json" "$@"
}

# --- Photos -----------------------------------------------------------------
# The user's script: what they would run instead of `voussoir import
# photos` (metadata, hashes, thumbnails on both cores, geotagging).
cat > "$WORK/user-script.sh" <<SH
#!/usr/bin/env bash
set -e
exiftool -n -json -fast2 -DateTimeOriginal -SubSecTimeOriginal -OffsetTimeOriginal -GPSLatitude -GPSLongitude -Make -Model "$WORK/script-photos" > "$WORK/script-meta.json"
sha256sum "$WORK"/script-photos/*.jpg > "$WORK/script-hashes.txt"
ls "$WORK"/script-photos/*.jpg | xargs -P2 -n 25 vipsthumbnail -s 256 -o "$WORK/script-thumbs/%s.jpg[Q=80]"
exiftool -q -overwrite_original -geotag "$WORK/track.gpx" '-geotime<DateTimeOriginal' "$WORK/script-photos"
SH
chmod +x "$WORK/user-script.sh"
echo "== photos: metadata, hash, thumbnail, placement"
bench photos 3 \
    --prepare "$WORK/fresh-book.sh $WORK/book" \
    --command-name "voussoir import photos" \
    "$V -q --book $WORK/book import photos $WORK/photos" \
    --prepare "rm -rf $WORK/thumbs && mkdir -p $WORK/thumbs" \
    --command-name "vipsthumbnail -s 256, xargs -P2" \
    "ls $WORK/photos/*.jpg | xargs -P2 -n 25 vipsthumbnail -s 256 -o '$WORK/thumbs/%s.jpg[Q=80]'" \
    --prepare "rm -rf $WORK/script-photos $WORK/script-thumbs && cp -r $WORK/photos $WORK/script-photos && mkdir -p $WORK/script-thumbs" \
    --command-name "user script" \
    "$WORK/user-script.sh" \
    --prepare "$WORK/fresh-book.sh $WORK/book" \
    --command-name "voussoir import photos --review-copies-now" \
    "$V -q --book $WORK/book import photos --review-copies-now $WORK/photos"

echo "== GPX, 1,000,000 points"
bench gpx 3 \
    --prepare "$WORK/fresh-book.sh $WORK/gpx" \
    --command-name "voussoir import track" \
    "$V -q --book $WORK/gpx import track $WORK/big.gpx" \
    --prepare "true" \
    --command-name "gpsbabel -i gpx (read)" \
    "gpsbabel -i gpx -f $WORK/big.gpx -x nuketypes,waypoints,routes,tracks -o gpx -F /dev/null"

echo "== GeoJSON of that track"
fresh_book "$WORK/geojson" && "$V" -q --book "$WORK/geojson" import track "$WORK/big.gpx"
bench geojson 3 \
    --command-name "voussoir export geojson" \
    "$V -q --book $WORK/geojson export geojson --output $WORK/out.geojson" \
    --command-name "gpsbabel to GeoJSON" \
    "gpsbabel -i gpx -f $WORK/big.gpx -o geojson -F $WORK/babel.geojson" \
    --prepare "rm -f $WORK/ogr.geojson" \
    --command-name "ogr2ogr to GeoJSON" \
    "ogr2ogr -f GeoJSON $WORK/ogr.geojson $WORK/big.gpx track_points"

echo "== geotag: photos on a track"
fresh_book "$WORK/geo" && "$V" -q --book "$WORK/geo" import photos "$WORK/photos" && "$V" -q --book "$WORK/geo" import track "$WORK/track.gpx"
rm -rf "$WORK/geophotos" && cp -r "$WORK/photos" "$WORK/geophotos"
bench geotag 3 \
    --command-name "voussoir geotag" \
    "$V -q --book $WORK/geo geotag" \
    --prepare "rm -rf $WORK/geophotos && cp -r $WORK/photos $WORK/geophotos" \
    --command-name "exiftool -geotag" \
    "exiftool -q -overwrite_original -geotag $WORK/track.gpx '-geotime<SubSecDateTimeOriginal' $WORK/geophotos"

echo "== peak memory (GNU time, max RSS)"
fresh_book "$WORK/gpxmem"
/usr/bin/time -f "voussoir import track, 1,000,000 points: %M KB max RSS, %e s" "$V" -q --book "$WORK/gpxmem" import track "$WORK/big.gpx"
/usr/bin/time -f "gpsbabel reading it: %M KB max RSS, %e s" gpsbabel -i gpx -f "$WORK/big.gpx" -x nuketypes,waypoints,routes,tracks -o gpx -F /dev/null
fresh_book "$WORK/photomem"
/usr/bin/time -f "voussoir import photos ($PHOTOS): %M KB max RSS, %e s" "$V" -q --book "$WORK/photomem" import photos "$WORK/photos"

# --- The table -----------------------------------------------------------------
python3 - "$JSON" <<'PY'
import json, sys
folder = sys.argv[1]
def load(name):
    return {r["command"]: r for r in json.load(open(f"{folder}/{name}.json"))["results"]}
def cell(result):
    return f'{result["median"]:.2f} s ({result["user"] + result["system"]:.1f} s CPU)'
rows = []
photos, gpx, geojson, geotag = load("photos"), load("gpx"), load("geojson"), load("geotag")
ours = photos["voussoir import photos"]
for peer in ["vipsthumbnail -s 256, xargs -P2", "user script"]:
    rows.append(("200 photos: metadata, hash, thumbnail, placement", ours, peer, photos[peer]))
rows.append(("same, review copies made now", photos["voussoir import photos --review-copies-now"], "vipsthumbnail -s 256, xargs -P2", photos["vipsthumbnail -s 256, xargs -P2"]))
rows.append(("import a 1,000,000-point GPX (read and store)", gpx["voussoir import track"], "gpsbabel -i gpx (read)", gpx["gpsbabel -i gpx (read)"]))
for peer in ["gpsbabel to GeoJSON", "ogr2ogr to GeoJSON"]:
    rows.append(("GeoJSON of that track", geojson["voussoir export geojson"], peer, geojson[peer]))
rows.append(("geotag 200 photos", geotag["voussoir geotag"], "exiftool -geotag", geotag["exiftool -geotag"]))
print()
print("| work | Voussoir | peer | peer time | ratio |")
print("|---|---:|---|---:|---:|")
for work, mine, peer, theirs in rows:
    ratio = theirs["median"] / mine["median"]
    word = f"{ratio:.2f}x faster" if ratio >= 1 else f"{1 / ratio:.2f}x slower"
    print(f"| {work} | {cell(mine)} | `{peer}` | {cell(theirs)} | {word} |")
PY
