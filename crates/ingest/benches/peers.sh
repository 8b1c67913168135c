#!/usr/bin/env bash
# Compares Voussoir's import with the tools a user would otherwise run, on
# a generated corpus: 200 photos of 4000x3000 with EXIF (half with GPS) and
# a 1,000,000-point GPX track. Results go to standard output; the figures
# in docs/performance.md come from this script.
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

# --- Photos -----------------------------------------------------------------
echo "== photos: metadata, hash, thumbnail and review copy vs the peers"
hyperfine --style basic --runs 3 \
    --prepare "$WORK/fresh-book.sh $WORK/book" \
    --command-name "voussoir import photos (metadata, hash, 256 px thumbnail, review copy; 2 threads)" \
    "$V -q --book $WORK/book import photos $WORK/photos" \
    --prepare "rm -rf $WORK/thumbs && mkdir -p $WORK/thumbs" \
    --command-name "vipsthumbnail -s 256 (thumbnail only, 1 process)" \
    "vipsthumbnail -s 256 -o '$WORK/thumbs/%s.jpg[Q=80]' $WORK/photos/*.jpg" \
    --prepare "rm -rf $WORK/thumbs && mkdir -p $WORK/thumbs" \
    --command-name "vipsthumbnail -s 256 (thumbnail only, xargs -P2)" \
    "ls $WORK/photos/*.jpg | xargs -P2 -n 25 vipsthumbnail -s 256 -o '$WORK/thumbs/%s.jpg[Q=80]'" \
    --prepare "true" \
    --command-name "exiftool reading the same metadata" \
    "exiftool -n -json -fast2 -DateTimeOriginal -SubSecTimeOriginal -OffsetTimeOriginal -GPSLatitude -GPSLongitude -Make -Model $WORK/photos >/dev/null"

echo "== geotag: photos on a track"
fresh_book "$WORK/geo" && "$V" -q --book "$WORK/geo" import photos "$WORK/photos" && "$V" -q --book "$WORK/geo" import track "$WORK/track.gpx"
rm -rf "$WORK/geophotos" && cp -r "$WORK/photos" "$WORK/geophotos"
hyperfine --style basic --runs 3 \
    --command-name "voussoir geotag (database only)" \
    "$V -q --book $WORK/geo geotag" \
    --prepare "rm -rf $WORK/geophotos && cp -r $WORK/photos $WORK/geophotos" \
    --command-name "exiftool -geotag (rewrites the JPEGs)" \
    "exiftool -q -overwrite_original -geotag $WORK/track.gpx '-geotime<SubSecDateTimeOriginal' $WORK/geophotos"

echo "== GPX, 1,000,000 points"
hyperfine --style basic --runs 3 \
    --prepare "$WORK/fresh-book.sh $WORK/gpx" \
    --command-name "voussoir import track (parse and store every point in SQLite)" \
    "$V -q --book $WORK/gpx import track $WORK/big.gpx" \
    --prepare "true" \
    --command-name "gpsbabel -i gpx (parse only)" \
    "gpsbabel -i gpx -f $WORK/big.gpx -x nuketypes,waypoints,routes,tracks -o gpx -F /dev/null" \
    --prepare "true" \
    --command-name "ogrinfo (feature count = full parse)" \
    "ogrinfo -ro -so $WORK/big.gpx track_points" \
    --prepare "rm -f $WORK/big.geojson" \
    --command-name "ogr2ogr (GPX to GeoJSON, every point)" \
    "ogr2ogr -f GeoJSON $WORK/big.geojson $WORK/big.gpx track_points"

echo "== peak memory (GNU time, max RSS)"
for tool in voussoir-track gpsbabel ogrinfo; do
    case $tool in
        voussoir-track) fresh_book "$WORK/gpxmem"; cmd=("$V" -q --book "$WORK/gpxmem" import track "$WORK/big.gpx") ;;
        gpsbabel) cmd=(gpsbabel -i gpx -f "$WORK/big.gpx" -x nuketypes,waypoints,routes,tracks -o gpx -F /dev/null) ;;
        ogrinfo) cmd=(ogrinfo -ro -so "$WORK/big.gpx" track_points) ;;
    esac
    /usr/bin/time -f "$tool: %M KB max RSS, %e s" "${cmd[@]}" >/dev/null
done
# Peak memory while importing 100 and 1,000 photos (smaller photos, copies
# with distinct bytes): it must not grow with the batch.
for count in 100 1000; do
    dir="$WORK/many-$count"
    if [ ! -d "$dir" ]; then
        mkdir -p "$dir"
        vips resize "$WORK/base.jpg" "$WORK/small.jpg" 0.4
        for index in $(seq 1 "$count"); do
            { cat "$WORK/small.jpg"; printf 'copy %d' "$index"; } > "$dir/P$index.jpg"
        done
    fi
    fresh_book "$WORK/mem-$count"
    /usr/bin/time -f "import $count photos: %M KB max RSS, %e s" "$V" -q --book "$WORK/mem-$count" import photos "$dir"
done
