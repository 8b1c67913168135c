//! The messages of refused requests and failed commands, one table per
//! language, each key with its template (`{name}` places filled in).
//!
//! Errors travel through the crates as English text (the log, the JSON
//! API and scripts read English); the edge that shows one to a person —
//! an error page, the phone app, the command line of a French course —
//! calls [`translate`], which finds the English template the text was made
//! from and writes it again from the language's table, translating the
//! values that are messages in turn. A text no template matches (a
//! library's own message) is shown as it is.
//!
//! Code that builds such a message should take its words from here with
//! [`english`]; the templates of error types whose text is fixed by
//! `#[error]` are checked against real values of those types by tests.
//! Templates are tried in order, so a specific one must come before a
//! general one (`{place}: {message}` is last).

use super::fill;
use super::reasons::match_template;

/// English templates.
pub const EN: &[(&str, &str)] = &[
    // Messages that wrap another: tried first, their words are their own.
    ("server.bundle_refused", "the bundle was refused, nothing imported: {reason}"),
    ("submit.refused", "the server refused the submission ({status}): {reason}"),
    ("import.refused", "{file} refused, nothing imported: {reason}"),
    ("export.bundle", "cannot write the bundle of inspection #{id}: {error}"),
    ("course.time_zone", "in the course file {name}: [course] time_zone `{zone}` is not a time zone name; use one such as Europe/Paris"),
    ("course.file", "in the course file {name}: {error}"),
    // Marks and reviews.
    ("mark.not_a_number", "`{given}` is not a mark; write a number from 0 to 20, such as 14 or 14,5"),
    ("mark.out_of_range", "{value} is outside the scale: a mark goes from 0 to 20"),
    ("review.no_reference", "structure {structure} has no reference inspection; pass --reference ID or open one with `inspection new --reference`"),
    ("review.other_structure", "inspection #{inspection} is of {structure}, the reference #{reference} of {reference_structure}: compare inspections of the same structure"),
    // Recording defects and grades.
    ("defect.unknown_component", "unknown component `{given}`; structure {structure} has {known}"),
    ("defect.unknown_type", "unknown defect type `{given}`{hint}; `voussoir catalogue` lists them"),
    ("defect.did_you_mean", " (did you mean {codes}?)"),
    ("defect.not_for_component", "{code} ({name}) does not apply to {component}, a {kind}; it applies to: {allowed}"),
    ("defect.not_for_material", "{code} ({name}) is for {materials}; {component} is {material}: use {others}"),
    ("defect.not_for_material_alone", "{code} ({name}) is for {materials}; {component} is {material}"),
    ("defect.takes_no", "{code} ({name}) takes no {measures}; it is measured by {taken}"),
    ("defect.measured_by_nothing", "nothing: describe it in the note"),
    ("defect.far_position", "the position {lat}, {lon} is {km} km from {structure}: check it (latitude first, then longitude)"),
    ("severity.outside", "severity `{given}` is outside {scheme}; use {allowed}"),
    ("code.unknown", "unknown {what} `{given}`; use one of: {known}"),
    ("measure.implausible_count", "{measure} = {value} is not a plausible value; give a whole number between 0 and {limit}"),
    ("measure.implausible", "{measure} = {value} is not a plausible value; give a number between 0 and {limit}"),
    ("own.unknown_target", "`{target}` is not a component of {structure}, `structure`, or a group such as `group:equipment`; this structure has {known}"),
    ("own.unknown_grade", "`{grade}` is not a class of {scheme}; use {allowed}"),
    // What a code names, inside `code.unknown`.
    ("what.component_kind", "component kind"),
    ("what.extent", "extent"),
    ("what.grading_scheme", "grading scheme"),
    ("what.inspection_kind", "inspection kind"),
    ("what.material", "material"),
    ("what.position_source", "position source"),
    ("what.structure_kind", "structure kind"),
    // What each scheme allows, inside `severity.outside` and `own.unknown_grade`.
    ("allowed.iqoa", "1, 2, 2E, 3 or 3U, with S appended for a user-safety defect (e.g. 2S)"),
    ("allowed.nbi", "inherent, minor, moderate or major"),
    ("allowed.bci", "1, 2, 3, 4 or 5"),
    ("allowed.mbei", "CS1, CS2, CS3 or CS4"),
    ("allowed.rib", "S, V and D each 0 to 4, as S2 V0 D3 or 2/0/3"),
    ("classes.iqoa", "1, 2, 2E, 3 or 3U (with S for user safety), or NE when not evaluated"),
    ("classes.nbi", "a rating from 0 to 9, or N when it does not apply"),
    ("classes.bci", "a condition score from 1.0 to 5.0 (such as 2.3), an indicator from 0 to 100, a band (very good, good, fair, poor, very poor), or NE"),
    ("classes.mbei", "a condition state CS1 to CS4 for a component, a health index from 0 to 100 for group:bhi or the structure, or NE"),
    ("classes.rib", "a Zustandsnote from 1.0 to 4.0 (such as 2,4), or NE when not evaluated"),
    // Positions.
    ("position.malformed", "`{given}` is not a position; write LAT,LON in decimal degrees, e.g. 48.7326,-3.4597"),
    ("position.latitude", "latitude {value} is out of range: it lies between -90 and 90 (write LAT,LON, latitude first)"),
    ("position.longitude", "longitude {value} is out of range: it lies between -180 and 180"),
    ("position.swapped", "latitude and longitude look swapped: {given} is {distance} m from {structure}, and {swapped} is on it"),
    ("position.far", "the position is {distance} m from {structure}, more than {most} m away: check the phone's location, or tap the plan"),
    ("position.inaccurate", "the phone's fix is accurate to {accuracy} m only (at most {most} m): wait for a better fix, or tap the plan"),
    ("position.both", "position: give both latitude and longitude, or neither"),
    ("position.of", "position: {error}"),
    // The phone app.
    ("capture.not_an_id", "`{id}` is not a record id; the app names records with UUIDs"),
    ("capture.date", "date `{given}`: write YYYY-MM-DD"),
    ("capture.future", "date {date} is in the future"),
    ("capture.photo_too_big", "the photo is {size} MB, more than the {most} MB a photo may be; take it again at a lower size"),
    ("capture.photo_time", "photo {photo}: taken_ms {ms} is not a plausible time; check the phone's clock"),
    ("capture.too_many_photos", "this inspection already has {count} photos, the most it may hold"),
    ("capture.photo_format", "photo {photo}: a {format} photo cannot be shown; send a JPEG"),
    ("capture.photo", "photo {photo}: {reason}"),
    ("capture.trainees_only", "the capture app records a trainee's inspection; log in as a trainee"),
    // The review server.
    ("server.bundle_too_big", "the bundle is larger than the {most} MB limit"),
    ("server.upload_stalled", "the upload stalled: nothing arrived for {seconds} s; send it again"),
    ("server.upload_interrupted", "upload interrupted: {error}"),
    ("server.malformed_upload", "malformed upload: {error}"),
    ("server.no_bundle", "no bundle in the form"),
    ("server.trainees_submit", "only trainees submit inspections; instructors load references with the command line"),
    ("server.only_trainees", "only trainees submit inspections"),
    ("server.instructors_only", "instructors only"),
    ("server.token_pages", "API tokens open the JSON API (/api/...) only; log in to use the pages"),
    ("server.token_reads", "an instructor's API token reads only; use the pages or the command line to change things"),
    ("server.cross_site", "cross-site request from {origin} refused"),
    ("server.csrf", "missing or wrong form token (CSRF); reload the page and try again"),
    ("server.login_flood", "too many failed logins for this account from here; wait {seconds} s and try again, or ask your instructor to unlock it"),
    ("server.internal", "internal error; the details are in the server log"),
    ("server.not_found", "not found"),
    ("server.log_in", "log in first"),
    // The course and the field book.
    ("course.syntax", "not a valid course file: {error}"),
    ("course.layer_too_big", "{file}: the map layer `{layer}` is {size} MB, more than the 5 MB a background may be"),
    ("course.layer_not_json", "{file}: the map layer `{layer}` is not JSON: {error}"),
    ("course.layer_not_geojson", "{file}: the map layer `{layer}` is not GeoJSON (no \"type\" such as FeatureCollection)"),
    ("course.not_utf8", "{file}: the file is not UTF-8 text; save it from your spreadsheet as \"CSV UTF-8\""),
    ("course.rows", "nothing imported; fix these rows and import the file again:"),
    ("date.not_a_date", "--date `{given}` is not a date; write YYYY-MM-DD"),
    ("date.future", "--date {date} is in the future (today is {today}); give the day of the inspection"),
    ("book.no_inspection", "no current inspection; open one with `voussoir inspection new --structure CODE --kind KIND` or pass --inspection ID"),
    ("book.none_here", "no field book in {dir} or its parents; create one with `voussoir init`, or pass --book DIR"),
    ("book.opening", "opening the field book {dir}"),
    ("book.not_a_book", "{dir} is not a field book (no {file}); create one with `voussoir init`"),
    ("book.exists", "{dir} already holds a field book"),
    ("book.too_new", "{path} was written by a newer Voussoir (schema {found}, this one knows up to {known}); upgrade Voussoir"),
    ("book.no_course", "no course is loaded in this field book; load one with `voussoir course load FILE.toml`"),
    ("book.no_inspection_id", "no inspection #{id}; `voussoir inspection list` shows them"),
    ("book.no_defect_id", "no defect #{id}; `voussoir defect list` shows them"),
    ("book.no_structure", "no structure `{code}` in this field book; it has {known}"),
    ("book.no_user", "no user `{name}`; add one with `voussoir user add`"),
    ("book.user_exists", "user `{name}` already exists; change the password with `voussoir user passwd {name}`"),
    ("book.no_token", "no API token #{id}; `voussoir token list` shows them"),
    ("book.no_track", "no track #{id}"),
    ("book.no_submission", "no submission #{id}"),
    ("book.submission", "submission #{id}"),
    ("book.other_course", "this field book holds course {existing}; start a new field book (`voussoir init DIR`) for course {course}"),
    // Geotagging.
    ("geotag.time_zone", "`{name}` is not a time zone name; use one such as Europe/Paris or UTC"),
    ("geotag.sync_form", "--sync `{sync}`: write TIME@FILE, e.g. 2026-03-12T10:41:07Z@IMG_0042.JPG"),
    ("geotag.sync_time", "--sync `{sync}`: `{time}` is not a time; write 2026-03-12T10:41:07Z or a local 2026-03-12T11:41:07"),
    ("geotag.sync_no_photo", "--sync `{sync}`: no imported photo named `{file}`"),
    ("geotag.sync_no_time", "--sync `{sync}`: {file} has no capture time"),
    ("geotag.offset_or_sync", "give --clock-offset or --sync, not both"),
    ("geotag.offset", "--clock-offset `{given}` is not an offset; write -73 (seconds) or -00:01:13"),
    ("geotag.seconds", "--max-gap and --max-extrapolate take a number of seconds of 0 or more"),
    ("geotag.radius", "--component-radius takes a distance in metres, 0 or more"),
    ("geotag.estimate", "cannot estimate the clock offset: it needs photos with their own GPS and a time that fall on a track ({count} photo(s) have both)"),
    // Files refused by the readers (photos, tracks, dive logs, bundles).
    ("ingest.nested", "elements are nested more than {depth} deep: not a file this reader takes"),
    ("ingest.no_dive", "the log holds no dive with a date"),
    ("ingest.not_a_dive_log", "not a dive log: expected UDDF (<uddf>) or Subsurface XML (<divelog>)"),
    ("ingest.truncated", "the file ends before its last element closes: it is truncated"),
    ("ingest.truncated_inside", "the file ends inside <{element}>: it is truncated"),
    ("ingest.bigtiff", "a BigTIFF file, which is not supported"),
    ("ingest.avif", "an AVIF image, which is not supported"),
    ("ingest.iso_media", "an ISO media file of brand `{brand}`, not a photo"),
    ("ingest.jpeg2000", "a JPEG 2000 file, which is not supported"),
    ("ingest.tiny", "only {count} bytes: not a photo"),
    ("ingest.text", "a text file, not a photo"),
    ("ingest.unknown_signature", "not a JPEG, PNG, TIFF, WebP or HEIC photo (unknown signature)"),
    ("ingest.zero_pixels", "the image declares {width} x {height} pixels: it is damaged"),
    ("ingest.bomb", "the image declares {width} x {height} pixels, more than the {most} megapixel limit (decompression bomb?)"),
    ("ingest.not_gpx", "no <gpx> element: not a GPX file"),
    ("ingest.not_kml", "no <kml> element: not a KML file"),
    ("ingest.kml_coordinates", "coordinates `{tuple}` are not longitude,latitude[,altitude] in degrees"),
    ("ingest.no_nmea", "no NMEA sentence found"),
    ("ingest.geojson_type", "unknown GeoJSON type `{kind}`"),
    ("ingest.geometry_type", "unknown geometry type `{kind}`"),
    ("bundle.unsafe_name", "entry `{name}` has an unsafe name (absolute, `..`, backslash or drive): refused"),
    ("bundle.twice", "entry `{name}` appears twice: refused"),
    ("bundle.zip_bomb", "entry `{name}` expands {ratio}x ({size} bytes from {compressed}): a zip bomb, refused"),
    ("bundle.too_big", "the bundle expands to more than {most} MB, the limit: refused"),
    ("bundle.no_manifest", "no manifest.json: not a Voussoir bundle"),
    ("bundle.manifest_not_json", "manifest.json is not JSON: {error}"),
    ("bundle.not_ours", "manifest.json does not say format \"{format}\": not a Voussoir bundle"),
    ("bundle.version", "bundle format version {version} is unknown; this Voussoir reads version {known}: upgrade Voussoir"),
    ("bundle.altered", "`{path}` does not match its hash in the manifest: the bundle is damaged or altered"),
    ("bundle.unlisted", "entry `{name}` is not listed in the manifest: refused"),
    ("bundle.missing", "the manifest lists `{path}` but the bundle has no such entry"),
    ("bundle.not_zip", "not a readable zip file: {error}"),
    ("bundle.too_long", "{field} is {length} characters long, more than the {limit} allowed"),
    ("bundle.too_many", "{count} {field}, more than the {limit} a bundle may hold"),
    ("bundle.half_position", "{field}: a latitude needs its longitude and the reverse"),
    ("bundle.photo_time", "{place}: taken_at {taken_at} is not a plausible photo time"),
    ("bundle.not_in_manifest", "`{path}` is not listed in the manifest"),
    ("bundle.bad_point", "{file}: a point is not [lon, lat, ele, time]"),
    ("bundle.declared_size", "`{path}` holds {size} bytes but is declared as {declared}"),
    ("bundle.too_many_entries", "{count} entries: too many for a bundle"),
    ("bundle.manifest_too_big", "manifest.json is larger than 64 MB: refused"),
    ("bundle.no_version", "manifest.json has no version"),
    ("bundle.listed_twice", "`{path}` is listed twice in the manifest"),
    ("bundle.size_mismatch", "`{path}` is {size} bytes in the zip but {declared} in the manifest"),
    ("bundle.photo_unlisted", "photo {photo} refers to `{path}`, which the manifest does not list"),
    ("bundle.photo_hash", "photo {photo} has no valid hash"),
    ("bundle.track_unlisted", "track {track} refers to an unlisted file"),
    // Imports and exports.
    ("demo.not_ours", "{dir} exists and was not built by `voussoir demo`; pass another folder: voussoir demo DIR"),
    ("demo.class_size", "a simulated class of {count}: give at most 200 trainees"),
    ("demo.no_reference", "structure {structure} has no reference inspection to simulate a class from"),
    ("output", "cannot write the output: {error}"),
    ("sheet.line", "line {line}: {message}"),
    // General forms, last: they match almost anything.
    ("place", "{place}: {message}"),
];

/// French templates.
pub const FR: &[(&str, &str)] = &[
    // Messages that wrap another: tried first, their words are their own.
    ("server.bundle_refused", "le paquet a été refusé, rien n'a été importé : {reason}"),
    ("submit.refused", "le serveur a refusé le rendu ({status}) : {reason}"),
    ("import.refused", "{file} refusé, rien n'a été importé : {reason}"),
    ("export.bundle", "impossible d'écrire le paquet de l'inspection n° {id} : {error}"),
    ("course.time_zone", "dans le fichier de cours {name} : [course] time_zone « {zone} » n'est pas un nom de fuseau horaire ; utilisez-en un comme Europe/Paris"),
    ("course.file", "dans le fichier de cours {name} : {error}"),
    ("mark.not_a_number", "« {given} » n'est pas une note ; écrivez un nombre de 0 à 20, comme 14 ou 14,5"),
    ("mark.out_of_range", "{value} est hors barème : une note va de 0 à 20"),
    ("review.no_reference", "l'ouvrage {structure} n'a pas d'inspection de référence ; passez --reference ID ou ouvrez-en une avec `inspection new --reference`"),
    ("review.other_structure", "l'inspection n° {inspection} porte sur {structure}, la référence n° {reference} sur {reference_structure} : comparez des inspections du même ouvrage"),
    ("defect.unknown_component", "élément « {given} » inconnu ; l'ouvrage {structure} a {known}"),
    ("defect.unknown_type", "type de désordre « {given} » inconnu{hint} ; `voussoir catalogue` les liste"),
    ("defect.did_you_mean", " (vouliez-vous dire {codes} ?)"),
    ("defect.not_for_component", "{code} ({name}) ne s'applique pas à {component}, de type {kind} ; il s'applique à : {allowed}"),
    ("defect.not_for_material", "{code} ({name}) concerne {materials} ; {component} est en {material} : utilisez {others}"),
    ("defect.not_for_material_alone", "{code} ({name}) concerne {materials} ; {component} est en {material}"),
    ("defect.takes_no", "{code} ({name}) ne prend pas de mesure {measures} ; ses mesures : {taken}"),
    ("defect.measured_by_nothing", "aucune, décrivez-le dans la note"),
    ("defect.far_position", "la position {lat}, {lon} est à {km} km de {structure} : vérifiez-la (latitude d'abord, puis longitude)"),
    ("severity.outside", "gravité « {given} » hors du barème {scheme} ; utilisez {allowed}"),
    ("code.unknown", "{what} « {given} » inconnu ; utilisez l'un de : {known}"),
    ("measure.implausible_count", "{measure} = {value} n'est pas une valeur plausible ; donnez un nombre entier entre 0 et {limit}"),
    ("measure.implausible", "{measure} = {value} n'est pas une valeur plausible ; donnez un nombre entre 0 et {limit}"),
    ("own.unknown_target", "« {target} » n'est ni un élément de {structure}, ni `structure`, ni un groupe comme `group:equipment` ; cet ouvrage a {known}"),
    ("own.unknown_grade", "« {grade} » n'est pas une classe de {scheme} ; utilisez {allowed}"),
    ("what.component_kind", "type d'élément"),
    ("what.extent", "code d'étendue"),
    ("what.grading_scheme", "système de cotation"),
    ("what.inspection_kind", "type d'inspection"),
    ("what.material", "matériau"),
    ("what.position_source", "code de source de position"),
    ("what.structure_kind", "type d'ouvrage"),
    ("allowed.iqoa", "1, 2, 2E, 3 ou 3U, suivi de S pour un désordre touchant la sécurité des usagers (par exemple 2S)"),
    ("allowed.nbi", "inherent, minor, moderate ou major"),
    ("allowed.bci", "1, 2, 3, 4 ou 5"),
    ("allowed.mbei", "CS1, CS2, CS3 ou CS4"),
    ("allowed.rib", "S, V et D chacun de 0 à 4, comme S2 V0 D3 ou 2/0/3"),
    ("classes.iqoa", "1, 2, 2E, 3 ou 3U (avec S pour la sécurité des usagers), ou NE si non évalué"),
    ("classes.nbi", "une note de 0 à 9, ou N quand elle ne s'applique pas"),
    ("classes.bci", "un score d'état de 1,0 à 5,0 (comme 2,3), un indicateur de 0 à 100, une classe (very good, good, fair, poor, very poor), ou NE"),
    ("classes.mbei", "un état CS1 à CS4 pour un élément, un indice de santé de 0 à 100 pour group:bhi ou l'ouvrage, ou NE"),
    ("classes.rib", "une Zustandsnote de 1,0 à 4,0 (comme 2,4), ou NE si non évaluée"),
    ("position.malformed", "« {given} » n'est pas une position ; écrivez LAT,LON en degrés décimaux, par exemple 48.7326,-3.4597"),
    ("position.latitude", "la latitude {value} est hors limites : elle est entre -90 et 90 (écrivez LAT,LON, la latitude d'abord)"),
    ("position.longitude", "la longitude {value} est hors limites : elle est entre -180 et 180"),
    ("position.swapped", "latitude et longitude semblent inversées : {given} est à {distance} m de {structure}, et {swapped} est sur l'ouvrage"),
    ("position.far", "la position est à {distance} m de {structure}, à plus de {most} m : vérifiez la localisation du téléphone, ou touchez le plan"),
    ("position.inaccurate", "la position du téléphone n'est précise qu'à {accuracy} m (au plus {most} m) : attendez une meilleure précision, ou touchez le plan"),
    ("position.both", "position : donnez la latitude et la longitude, ou aucune des deux"),
    ("position.of", "position : {error}"),
    ("capture.not_an_id", "« {id} » n'est pas un identifiant d'enregistrement ; l'application les nomme par des UUID"),
    ("capture.date", "date « {given} » : écrivez AAAA-MM-JJ"),
    ("capture.future", "la date {date} est dans le futur"),
    ("capture.photo_too_big", "la photo fait {size} Mo, plus que les {most} Mo permis ; reprenez-la en plus petite taille"),
    ("capture.photo_time", "photo {photo} : taken_ms {ms} n'est pas une heure plausible ; vérifiez l'horloge du téléphone"),
    ("capture.too_many_photos", "cette inspection a déjà {count} photos, le maximum"),
    ("capture.photo_format", "photo {photo} : une photo {format} ne peut pas être affichée ; envoyez un JPEG"),
    ("capture.photo", "photo {photo} : {reason}"),
    ("capture.trainees_only", "l'application de relevé enregistre l'inspection d'un stagiaire ; connectez-vous en tant que stagiaire"),
    ("server.bundle_too_big", "le paquet dépasse la limite de {most} Mo"),
    ("server.upload_stalled", "l'envoi s'est arrêté : rien n'est arrivé pendant {seconds} s ; renvoyez-le"),
    ("server.upload_interrupted", "envoi interrompu : {error}"),
    ("server.malformed_upload", "envoi mal formé : {error}"),
    ("server.no_bundle", "aucun paquet dans le formulaire"),
    ("server.trainees_submit", "seuls les stagiaires rendent des inspections ; les formateurs chargent les références en ligne de commande"),
    ("server.only_trainees", "seuls les stagiaires rendent des inspections"),
    ("server.instructors_only", "réservé aux formateurs"),
    ("server.token_pages", "les jetons d'API n'ouvrent que l'API JSON (/api/...) ; connectez-vous pour utiliser les pages"),
    ("server.token_reads", "le jeton d'API d'un formateur ne fait que lire ; utilisez les pages ou la ligne de commande pour modifier"),
    ("server.cross_site", "requête d'un autre site ({origin}) refusée"),
    ("server.csrf", "jeton de formulaire absent ou erroné (CSRF) ; rechargez la page et réessayez"),
    ("server.login_flood", "trop de connexions échouées pour ce compte depuis ce poste ; attendez {seconds} s et réessayez, ou demandez à votre formateur de le débloquer"),
    ("server.internal", "erreur interne ; le détail est dans le journal du serveur"),
    ("server.not_found", "introuvable"),
    ("server.log_in", "connectez-vous d'abord"),
    ("course.syntax", "fichier de cours invalide : {error}"),
    ("course.layer_too_big", "{file} : la couche « {layer} » fait {size} Mo, plus que les 5 Mo permis pour un fond"),
    ("course.layer_not_json", "{file} : la couche « {layer} » n'est pas du JSON : {error}"),
    ("course.layer_not_geojson", "{file} : la couche « {layer} » n'est pas du GeoJSON (pas de « type » comme FeatureCollection)"),
    ("course.not_utf8", "{file} : le fichier n'est pas du texte UTF-8 ; enregistrez-le depuis votre tableur en « CSV UTF-8 »"),
    ("course.rows", "rien n'a été importé ; corrigez ces lignes et importez de nouveau le fichier :"),
    ("date.not_a_date", "--date « {given} » n'est pas une date ; écrivez AAAA-MM-JJ"),
    ("date.future", "--date {date} est dans le futur (nous sommes le {today}) ; donnez le jour de l'inspection"),
    ("book.no_inspection", "aucune inspection en cours ; ouvrez-en une avec `voussoir inspection new --structure CODE --kind NATURE` ou passez --inspection ID"),
    ("book.none_here", "aucun carnet de terrain dans {dir} ni ses parents ; créez-en un avec `voussoir init`, ou passez --book DOSSIER"),
    ("book.opening", "ouverture du carnet de terrain {dir}"),
    ("book.not_a_book", "{dir} n'est pas un carnet de terrain (pas de {file}) ; créez-en un avec `voussoir init`"),
    ("book.exists", "{dir} contient déjà un carnet de terrain"),
    ("book.too_new", "{path} a été écrit par un Voussoir plus récent (schéma {found}, celui-ci connaît jusqu'à {known}) ; mettez Voussoir à jour"),
    ("book.no_course", "aucun cours n'est chargé dans ce carnet ; chargez-en un avec `voussoir course load FICHIER.toml`"),
    ("book.no_inspection_id", "pas d'inspection n° {id} ; `voussoir inspection list` les montre"),
    ("book.no_defect_id", "pas de désordre n° {id} ; `voussoir defect list` les montre"),
    ("book.no_structure", "pas d'ouvrage « {code} » dans ce carnet ; il a {known}"),
    ("book.no_user", "pas d'utilisateur « {name} » ; ajoutez-en un avec `voussoir user add`"),
    ("book.user_exists", "l'utilisateur « {name} » existe déjà ; changez son mot de passe avec `voussoir user passwd {name}`"),
    ("book.no_token", "pas de jeton d'API n° {id} ; `voussoir token list` les montre"),
    ("book.no_track", "pas de trace n° {id}"),
    ("book.no_submission", "pas de rendu n° {id}"),
    ("book.submission", "rendu n° {id}"),
    ("book.other_course", "ce carnet contient le cours {existing} ; créez un nouveau carnet (`voussoir init DOSSIER`) pour le cours {course}"),
    ("geotag.time_zone", "« {name} » n'est pas un nom de fuseau horaire ; utilisez-en un comme Europe/Paris ou UTC"),
    ("geotag.sync_form", "--sync « {sync} » : écrivez HEURE@FICHIER, par exemple 2026-03-12T10:41:07Z@IMG_0042.JPG"),
    ("geotag.sync_time", "--sync « {sync} » : « {time} » n'est pas une heure ; écrivez 2026-03-12T10:41:07Z ou une heure locale 2026-03-12T11:41:07"),
    ("geotag.sync_no_photo", "--sync « {sync} » : aucune photo importée nommée « {file} »"),
    ("geotag.sync_no_time", "--sync « {sync} » : {file} n'a pas d'heure de prise de vue"),
    ("geotag.offset_or_sync", "donnez --clock-offset ou --sync, pas les deux"),
    ("geotag.offset", "--clock-offset « {given} » n'est pas un décalage ; écrivez -73 (secondes) ou -00:01:13"),
    ("geotag.seconds", "--max-gap et --max-extrapolate prennent un nombre de secondes, 0 ou plus"),
    ("geotag.radius", "--component-radius prend une distance en mètres, 0 ou plus"),
    ("geotag.estimate", "impossible d'estimer le décalage d'horloge : il faut des photos avec leur propre GPS et une heure couverte par une trace ({count} photo(s) ont les deux)"),
    ("ingest.nested", "des éléments sont imbriqués sur plus de {depth} niveaux : ce lecteur ne prend pas ce fichier"),
    ("ingest.no_dive", "le carnet ne contient aucune plongée datée"),
    ("ingest.not_a_dive_log", "pas un carnet de plongée : UDDF (<uddf>) ou Subsurface XML (<divelog>) attendu"),
    ("ingest.truncated", "le fichier s'arrête avant que son dernier élément se ferme : il est tronqué"),
    ("ingest.truncated_inside", "le fichier s'arrête à l'intérieur de <{element}> : il est tronqué"),
    ("ingest.bigtiff", "un fichier BigTIFF, format non pris en charge"),
    ("ingest.avif", "une image AVIF, format non pris en charge"),
    ("ingest.iso_media", "un fichier média ISO de marque « {brand} », pas une photo"),
    ("ingest.jpeg2000", "un fichier JPEG 2000, format non pris en charge"),
    ("ingest.tiny", "seulement {count} octets : pas une photo"),
    ("ingest.text", "un fichier texte, pas une photo"),
    ("ingest.unknown_signature", "ni une photo JPEG, PNG, TIFF, WebP ni HEIC (signature inconnue)"),
    ("ingest.zero_pixels", "l'image déclare {width} x {height} pixels : elle est endommagée"),
    ("ingest.bomb", "l'image déclare {width} x {height} pixels, plus que la limite de {most} mégapixels (bombe de décompression ?)"),
    ("ingest.not_gpx", "pas d'élément <gpx> : ce n'est pas un fichier GPX"),
    ("ingest.not_kml", "pas d'élément <kml> : ce n'est pas un fichier KML"),
    ("ingest.kml_coordinates", "les coordonnées « {tuple} » ne sont pas longitude,latitude[,altitude] en degrés"),
    ("ingest.no_nmea", "aucune phrase NMEA trouvée"),
    ("ingest.geojson_type", "type GeoJSON « {kind} » inconnu"),
    ("ingest.geometry_type", "type de géométrie « {kind} » inconnu"),
    ("bundle.unsafe_name", "l'entrée « {name} » a un nom dangereux (absolu, `..`, barre oblique inverse ou lecteur) : refusée"),
    ("bundle.twice", "l'entrée « {name} » apparaît deux fois : refusée"),
    ("bundle.zip_bomb", "l'entrée « {name} » se décompresse {ratio} fois ({size} octets à partir de {compressed}) : une bombe zip, refusée"),
    ("bundle.too_big", "le paquet se décompresse au-delà de {most} Mo, la limite : refusé"),
    ("bundle.no_manifest", "pas de manifest.json : ce n'est pas un paquet Voussoir"),
    ("bundle.manifest_not_json", "manifest.json n'est pas du JSON : {error}"),
    ("bundle.not_ours", "manifest.json n'indique pas le format « {format} » : ce n'est pas un paquet Voussoir"),
    ("bundle.version", "la version {version} du format de paquet est inconnue ; ce Voussoir lit la version {known} : mettez Voussoir à jour"),
    ("bundle.altered", "« {path} » ne correspond pas à son empreinte dans le manifeste : le paquet est endommagé ou modifié"),
    ("bundle.unlisted", "l'entrée « {name} » n'est pas dans le manifeste : refusée"),
    ("bundle.missing", "le manifeste liste « {path} » mais le paquet n'a pas cette entrée"),
    ("bundle.not_zip", "pas un fichier zip lisible : {error}"),
    ("bundle.too_long", "{field} fait {length} caractères, plus que les {limit} permis"),
    ("bundle.too_many", "{count} {field}, plus que les {limit} qu'un paquet peut contenir"),
    ("bundle.half_position", "{field} : une latitude demande sa longitude, et l'inverse"),
    ("bundle.photo_time", "{place} : taken_at {taken_at} n'est pas une heure de prise de vue plausible"),
    ("bundle.not_in_manifest", "« {path} » n'est pas dans le manifeste"),
    ("bundle.bad_point", "{file} : un point n'est pas [lon, lat, ele, time]"),
    ("bundle.declared_size", "« {path} » contient {size} octets mais en déclare {declared}"),
    ("bundle.too_many_entries", "{count} entrées : trop pour un paquet"),
    ("bundle.manifest_too_big", "manifest.json dépasse 64 Mo : refusé"),
    ("bundle.no_version", "manifest.json n'a pas de version"),
    ("bundle.listed_twice", "« {path} » figure deux fois dans le manifeste"),
    ("bundle.size_mismatch", "« {path} » fait {size} octets dans le zip mais {declared} dans le manifeste"),
    ("bundle.photo_unlisted", "la photo {photo} renvoie à « {path} », absent du manifeste"),
    ("bundle.photo_hash", "la photo {photo} n'a pas d'empreinte valide"),
    ("bundle.track_unlisted", "la trace {track} renvoie à un fichier absent du manifeste"),
    ("demo.not_ours", "{dir} existe et n'a pas été créé par `voussoir demo` ; donnez un autre dossier : voussoir demo DOSSIER"),
    ("demo.class_size", "une promotion simulée de {count} : donnez au plus 200 stagiaires"),
    ("demo.no_reference", "l'ouvrage {structure} n'a pas d'inspection de référence d'où simuler une promotion"),
    ("output", "impossible d'écrire la sortie : {error}"),
    ("sheet.line", "ligne {line} : {message}"),
    ("place", "{place} : {message}"),
];

/// The template of a key in a language (`fr`, `en`).
pub fn template(language: &str, key: &str) -> Option<&'static str> {
    let table = if language.eq_ignore_ascii_case("fr") {
        FR
    } else {
        EN
    };
    table
        .iter()
        .find(|(known, _)| *known == key)
        .map(|(_, template)| *template)
}

/// A message in English from the catalogue; an unknown key is shown as it
/// is (the tests make sure every key used exists).
pub fn english(key: &str, values: &[(&str, String)]) -> String {
    fill(template("en", key).unwrap_or(key), values)
}

/// A message made from an English template, written again in `language`;
/// a text that no template matches is returned as it is. Each line is
/// translated on its own.
pub fn translate(text: &str, language: &str) -> String {
    if !language.eq_ignore_ascii_case("fr") || text.is_empty() {
        return text.to_string();
    }
    if text.contains('\n') {
        return text
            .split('\n')
            .map(|line| translate(line, language))
            .collect::<Vec<_>>()
            .join("\n");
    }
    translate_line(text, language, 0)
}

/// Places that only ever hold a number: a template whose number place
/// would take words is not the one the text was made from.
const NUMBER_PLACES: &[&str] = &[
    "accuracy",
    "compressed",
    "count",
    "declared",
    "depth",
    "distance",
    "km",
    "length",
    "limit",
    "line",
    "most",
    "ms",
    "ratio",
    "seconds",
    "size",
    "value",
];

fn is_number(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || ".,-".contains(c))
}

/// Places that hold a message of their own, translated in turn; every
/// other place echoes what someone typed or named (a code, a file, a
/// user) and is kept as it is.
const MESSAGE_PLACES: &[&str] = &[
    "allowed", "error", "hint", "message", "reason", "taken", "what",
];

/// Texts longer than this are not looked at: a refusal is a sentence or
/// a few lines, and what a user typed is echoed, not translated.
const MOST_TRANSLATED: usize = 16 * 1024;

fn translate_line(text: &str, language: &str, depth: usize) -> String {
    if depth > 4 || text.len() > MOST_TRANSLATED {
        return text.to_string();
    }
    // A template whose message places none of the catalogue fills is
    // kept in reserve: a later, more specific one may be the right one.
    let mut reserve = None;
    for (key, english) in EN {
        let Some(mut values) = match_template(english, text) else {
            continue;
        };
        if values
            .iter()
            .any(|(name, value)| NUMBER_PLACES.contains(name) && !is_number(value))
        {
            continue;
        }
        let mut carries_message = false;
        let mut understood = false;
        for (name, value) in &mut values {
            if MESSAGE_PLACES.contains(name) {
                carries_message = true;
                let written = translate_line(value, language, depth + 1);
                understood |= written != *value;
                *value = written;
            } else if NUMBER_PLACES.contains(name) {
                *value = value.replace('.', ",");
            }
        }
        let target = template(language, key).unwrap_or(english);
        if carries_message && !understood {
            // The general form only carries a message it knows: a text
            // already in French, or a library's words, is left as it is.
            if *key != "place" && reserve.is_none() {
                reserve = Some(fill(target, &values));
            }
            continue;
        }
        return fill(target, &values);
    }
    reserve.unwrap_or_else(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::super::places;
    use super::*;

    #[test]
    fn every_message_has_both_languages_with_the_same_places() {
        assert_eq!(EN.len(), FR.len(), "as many French messages as English");
        for (index, (key, english)) in EN.iter().enumerate() {
            assert_eq!(FR[index].0, *key, "the tables list keys in the same order");
            let french = template("fr", key).unwrap_or_else(|| panic!("`{key}` has no French"));
            assert_eq!(
                places(english),
                places(french),
                "`{key}` names other places in French"
            );
            assert_ne!(english, &french, "`{key}` is not translated");
        }
    }

    #[test]
    fn each_english_message_is_found_again_and_written_in_french() {
        // Sample values that no template matches, so each message must be
        // recognised by its own template and by no earlier one.
        // (The general form is checked with a message inside, below.)
        for (key, english) in EN.iter().filter(|(key, _)| *key != "place") {
            let values: Vec<(&str, String)> = places(english)
                .into_iter()
                .map(|place| {
                    let value = if NUMBER_PLACES.contains(&place) {
                        "7".to_string()
                    } else {
                        format!("Z{place}Z")
                    };
                    (place, value)
                })
                .collect();
            let text = fill(english, &values);
            let expected = fill(template("fr", key).expect("French"), &values);
            assert_eq!(translate(&text, "fr"), expected, "`{key}`");
            assert_eq!(translate(&text, "en"), text);
        }
    }

    #[test]
    fn a_message_wrapping_another_is_read_from_the_outside_in() {
        let inner = english(
            "bundle.too_many",
            &[
                ("count", "51".into()),
                ("field", "photos cited by defect 1".into()),
                ("limit", "50".into()),
            ],
        );
        let outer = english(
            "import.refused",
            &[
                ("file", "/tmp/b/photos.zip".into()),
                ("reason", format!("manifest.json: {inner}")),
            ],
        );
        assert_eq!(
            translate(&outer, "fr"),
            "/tmp/b/photos.zip refusé, rien n'a été importé : manifest.json : \
             51 photos cited by defect 1, plus que les 50 qu'un paquet peut contenir"
        );
    }

    #[test]
    fn what_people_typed_is_echoed_as_typed_and_the_right_template_wins() {
        // A refused upload on the server wraps the reader's reason.
        let refused = english(
            "server.bundle_refused",
            &[("reason", english("bundle.no_version", &[]))],
        );
        assert_eq!(
            translate(&refused, "fr"),
            "le paquet a été refusé, rien n'a été importé : manifest.json n'a pas de version"
        );
        // Echoed values keep their dots; a name that is also a catalogue
        // word stays a name.
        let malformed = english("position.malformed", &[("given", "48.73".into())]);
        assert!(translate(&malformed, "fr").starts_with("« 48.73 » n'est pas une position"));
        let user = english("book.no_user", &[("name", "extent".into())]);
        assert!(translate(&user, "fr").starts_with("pas d'utilisateur « extent »"));
        let component = english(
            "defect.unknown_component",
            &[
                ("given", "1.3".into()),
                ("structure", "PONT-1".into()),
                ("known", "1.1, 1.2".into()),
            ],
        );
        assert_eq!(
            translate(&component, "fr"),
            "élément « 1.3 » inconnu ; l'ouvrage PONT-1 a 1.1, 1.2"
        );
        // A general form whose message it cannot read gives way to a more
        // specific template further down.
        let photo_time = english(
            "bundle.photo_time",
            &[
                ("place", "photo IMG_1.JPG".into()),
                ("taken_at", "1800-01-01T00:00:00Z".into()),
            ],
        );
        assert_eq!(
            translate(&photo_time, "fr"),
            "photo IMG_1.JPG : taken_at 1800-01-01T00:00:00Z n'est pas une heure de prise de vue plausible"
        );
    }

    #[test]
    fn a_message_already_in_french_is_left_as_it_is() {
        let french = "Note finale : « abc » n'est pas une note";
        assert_eq!(translate(french, "fr"), french);
    }

    #[test]
    fn nested_messages_and_decimal_numbers_are_translated_too() {
        let inner = english("mark.out_of_range", &[("value", "25.5".to_string())]);
        let outer = english(
            "place",
            &[("place", "final_mark".into()), ("message", inner)],
        );
        assert_eq!(
            translate(&outer, "fr"),
            "final_mark : 25,5 est hors barème : une note va de 0 à 20"
        );
        assert_eq!(
            translate("a library's own words", "fr"),
            "a library's own words"
        );
        let two_lines = format!("{}\nrow 3: bad", english("course.rows", &[]));
        assert_eq!(
            translate(&two_lines, "fr"),
            "rien n'a été importé ; corrigez ces lignes et importez de nouveau le fichier :\nrow 3: bad"
        );
    }

    /// The texts that error types fix with `#[error]` are those of the
    /// catalogue: each real error is translated whole.
    #[test]
    fn the_core_error_types_speak_from_the_catalogue() {
        use crate::field_position::FieldPositionError;
        use crate::geometry::InvalidPosition;
        use crate::grading::own::OwnGradeError;
        use crate::grading::SeverityError;
        use crate::mark::MarkError;
        use crate::model::{InvalidMeasurement, UnknownCode};
        use crate::recording::DefectError;
        let mut errors: Vec<String> = vec![
            MarkError::NotANumber("abc".into()).to_string(),
            MarkError::OutOfRange(25.5).to_string(),
            DefectError::UnknownComponent {
                given: "P9".into(),
                structure: "PONT-1".into(),
                known: "P1, P2".into(),
            }
            .to_string(),
            DefectError::UnknownType {
                given: "crak".into(),
                hint: english("defect.did_you_mean", &[("codes", "crack".into())]),
            }
            .to_string(),
            SeverityError {
                scheme: "IQOA",
                given: "9".into(),
                allowed: "1, 2, 3",
            }
            .to_string(),
            UnknownCode {
                what: "extent",
                given: "lots".into(),
                known: vec!["isolated", "some"],
            }
            .to_string(),
            InvalidMeasurement {
                measure: "width_mm",
                value: 900.0,
                limit: 500.0,
                count: false,
            }
            .to_string(),
            InvalidMeasurement {
                measure: "count",
                value: 1.5,
                limit: 100.0,
                count: true,
            }
            .to_string(),
            OwnGradeError::UnknownTarget {
                target: "P9".into(),
                structure: "PONT-1".into(),
                known: "P1".into(),
            }
            .to_string(),
            OwnGradeError::UnknownGrade {
                grade: "7".into(),
                scheme: "IQOA".into(),
                allowed: "1, 2",
            }
            .to_string(),
            InvalidPosition::Malformed("north".into()).to_string(),
            InvalidPosition::LatitudeOutOfRange(95.0).to_string(),
            InvalidPosition::LongitudeOutOfRange(195.0).to_string(),
            FieldPositionError::Swapped {
                lat: -3.4,
                lon: 48.7,
                distance_m: 5e6,
                structure: "PONT-1".into(),
            }
            .to_string(),
            FieldPositionError::FarFromStructure {
                distance_m: 2500.0,
                structure: "PONT-1".into(),
            }
            .to_string(),
            FieldPositionError::Inaccurate { accuracy_m: 80.0 }.to_string(),
            crate::course::CourseError::Syntax("line 3".into()).to_string(),
            crate::sheet::SheetProblem {
                line: 4,
                message: "bad".into(),
            }
            .to_string(),
        ];
        for scheme in crate::grading::SCHEMES {
            let refused = scheme
                .parse_severity("zzz")
                .expect_err("no scheme takes zzz");
            assert_ne!(translate(refused.allowed, "fr"), refused.allowed);
            errors.push(refused.to_string());
            let help = scheme.classes_help();
            assert_ne!(
                translate(help, "fr"),
                help,
                "the classes of {}",
                scheme.name()
            );
        }
        for error in errors {
            let french = translate(&error, "fr");
            assert_ne!(french, error, "no template matches `{error}`");
            let matched = EN
                .iter()
                .find(|(_, english)| match_template(english, &error).is_some())
                .map(|(key, _)| *key);
            assert_ne!(
                matched,
                Some("place"),
                "`{error}` has no template of its own"
            );
        }
    }
}
