//! The reasons of grades, one table per language: each key with its
//! template, `{name}` places filled by the grade's values. A key missing
//! from a language, or a language's template naming other places, fails
//! `every_reason_has_both_languages_with_the_same_places`.

/// English templates.
pub const EN: &[(&str, &str)] = &[
    ("iqoa.not_inspected", "not inspected in this inspection: NE"),
    ("iqoa.defects_on_not_inspected", "warning: {count} defect(s) recorded on {component} although it is marked not inspected ({defects}); they do not set its class: the instructor decides whether it was inspected"),
    ("iqoa.equipment_cap", "{defect} is an equipment or protection defect: it implies at most {cap}, so {implied} counts as {cap} (rule marked unconfirmed in the reference)"),
    ("iqoa.safety", "{defect} threatens user safety: S mention"),
    ("iqoa.ungraded_only", "{defects} has no severity: grade it to evaluate {component}"),
    ("iqoa.no_defect", "no defect recorded: class 1"),
    ("iqoa.worst_defect", "worst defect: {defects}"),
    ("iqoa.could_be_worse", "{defects} has no severity: the class could be worse"),
    ("iqoa.no_part", "no {part} component"),
    ("iqoa.part_not_evaluated", "no component of this part was evaluated"),
    ("iqoa.worst_component", "worst component: {components}"),
    ("iqoa.nothing_evaluated", "no component could be evaluated: NE"),
    ("iqoa.partial", "no structural component was evaluated: NE (partial); the equipment and protection seen reach class {class}"),
    ("iqoa.structure_class", "class {class}: worst component {components}"),
    ("iqoa.component", "{component}"),
    ("iqoa.component_defects", "{component} (defect {ids})"),
    ("iqoa.class_means", "class {class} means {meaning}"),
    ("iqoa.not_evaluated", "not evaluated: {components}; the class covers the parts seen"),
    ("iqoa.safety_on", "S mention: user safety threatened on {components}"),
    ("iqoa.meaning.1", "good apparent condition; routine maintenance only"),
    ("iqoa.meaning.2", "equipment or protection defective, or minor structural defects; non-urgent specialised maintenance"),
    ("iqoa.meaning.2E", "as 2, but urgent: the defects may quickly spread into the structure"),
    ("iqoa.meaning.3", "structure altered; repair works, not urgent"),
    ("iqoa.meaning.3U", "structure seriously altered; load capacity insufficient or about to be; urgent repair"),
    ("crosswalk", "{defect}: {severity} from {origin} via the crosswalk"),
    ("critical_scour", "{defect}: scour depth {depth} m reaches the critical depth {critical} m the course gives for {component}"),
    ("nbi.not_inspected", "not inspected in this inspection: not rated"),
    ("nbi.defect_allows", "{defect} {severity} and {extent} allows at most {rating}"),
    ("nbi.defect_allows_converted", "{defect} {severity} (from {origin} via the crosswalk) and {extent} allows at most {rating}"),
    ("nbi.extent_assumed", "{extent} (no extent recorded, taken as some)"),
    ("nbi.extent_combined", "{recorded}, taken as {extent} for the component: {count} defects of this type on {component}"),
    ("nbi.ungraded_only", "{defects} has no severity: grade it to rate {component}"),
    ("nbi.no_defect", "no defect recorded: 9 (excellent)"),
    ("nbi.lowest_defect", "lowest defect: {parts}"),
    ("nbi.stops_at_3", "codes 2, 1 and 0 (critical, imminent failure, failed) need an engineer's decision on closure; Voussoir stops at 3"),
    ("nbi.could_be_lower", "{defects} has no severity: the rating could be lower"),
    ("nbi.safety_dropped", "an S (user safety) mention has no NBI equivalent and is dropped"),
    ("nbi.item_culvert_whole", "N: on a culvert, item 62 rates the whole structure"),
    ("nbi.item_not_culvert", "N: the structure is not a culvert"),
    ("nbi.item_no_component", "N: the structure has no such component"),
    ("nbi.item_none_rated", "none of its components was rated"),
    ("nbi.item_lowest", "{rating} ({label}): lowest component {components}"),
    ("nbi.not_rated", "not rated: {components}"),
    ("nbi.no_governing_item", "none of the governing items (58–60, or 62 on a culvert) was rated"),
    ("nbi.governing_unrated", "{items} not rated: good, fair or poor needs the lowest of all governing items (23 CFR 490.409); the rated ones are at least as low as {lowest}"),
    ("nbi.deficient", "structurally deficient: an item among 58, 59, 60, 62 is 4 or less (23 CFR 490.411)"),
    ("nbi.lowest_of_items", "the lowest of items 58, 59, 60 is {rating} ({label}), from {items}"),
    ("nbi.culvert_item", "item 62 is {rating} ({label}), from {items}"),
    ("nbi.class_rule", "{class}: 7–9 good, 5–6 fair, 0–4 poor (23 CFR 490.409)"),
    ("nbi.label.9", "excellent"),
    ("nbi.label.8", "very good"),
    ("nbi.label.7", "good"),
    ("nbi.label.6", "satisfactory"),
    ("nbi.label.5", "fair"),
    ("nbi.label.4", "poor"),
    ("nbi.label.3", "serious"),
    ("nbi.label.2", "critical"),
    ("nbi.label.1", "imminent failure"),
    ("nbi.label.0", "failed"),
    ("bci.not_inspected", "not inspected in this inspection: NE (the element keeps its last recorded condition)"),
    ("bci.defect", "{defect} severity {severity}, extent {extent}: condition score {ecs}"),
    ("bci.defect_extent_assumed", "{defect} severity {severity}, extent {extent} (no extent recorded, taken as slight): condition score {ecs}"),
    ("bci.no_defect", "no defect recorded: condition score 1.0"),
    ("bci.eci", "condition score {ecs}, {importance} importance: condition index {eci}"),
    ("bci.average", "BCI average {bci}, from the condition score {bcs} over {count} elements weighted by importance"),
    ("bci.critical", "BCI critical {bci}, from {component} (condition index {eci})"),
    ("bci.band", "{band} (bands 90, 80, 65 and 40, marked unconfirmed in the reference)"),
    ("bci.nothing_evaluated", "no element could be evaluated: NE"),
    ("bci.importance.very_high", "very high (critical element)"),
    ("bci.importance.high", "high"),
    ("bci.importance.medium", "medium"),
    ("bci.importance.low", "low"),
    ("bci.band.very_good", "very good"),
    ("bci.band.good", "good"),
    ("bci.band.fair", "fair"),
    ("bci.band.poor", "poor"),
    ("bci.band.very_poor", "very poor"),
    ("rib.not_inspected", "not inspected in this inspection: NE"),
    ("rib.damage", "{defect} {rating}: base number {base}, extent {extent}: {note}"),
    ("rib.damage_extent_assumed", "{defect} {rating}: base number {base}, extent {extent} (none recorded): {note}"),
    ("rib.no_damage", "no damage recorded: 1.0"),
    ("rib.unrated", "{defects} has no S/V/D rating: rate it to assess {component}"),
    ("rib.extent.small", "small"),
    ("rib.extent.medium", "medium"),
    ("rib.extent.large", "large"),
    ("rib.group_not_evaluated", "no component of this group was assessed"),
    ("rib.group_worst", "worst component {components}: {note}"),
    ("rib.group_count", "{count} damages in the group: +{add}"),
    ("rib.structure_worst", "worst group {groups}: {note}"),
    ("rib.structure_groups", "{count} damaged groups: +{add}"),
    ("rib.range", "Zustandsnote {note}: {meaning}"),
    ("rib.substance", "Substanzkennzahl {substance} (the same without traffic safety)"),
    ("rib.groups_not_evaluated", "not assessed: {groups}; the note covers the groups seen"),
    ("rib.nothing_evaluated", "no component could be assessed: NE"),
    ("rib.unconfirmed", "base numbers and corrections are Voussoir's defaults, marked unconfirmed: check them against the RI-EBW-PRÜF annex"),
    ("rib.range.1", "very good: stability, traffic safety and durability given; routine upkeep"),
    ("rib.range.2", "good: stability and traffic safety given, durability may be slightly impaired in the long term; routine upkeep"),
    ("rib.range.3", "satisfactory: stability and traffic safety given, durability may be slightly impaired; repair in the medium term"),
    ("rib.range.4", "sufficient: stability given, traffic safety may be impaired, durability may be considerably impaired; repair in the short term"),
    ("rib.range.5", "not sufficient: stability or traffic safety impaired; immediate repair, restrictions possible"),
    ("rib.range.6", "inadequate: stability or traffic safety considerably impaired or lost; immediate action, restriction or closure"),
    ("mbei.not_inspected", "not inspected in this inspection: NE"),
    ("mbei.measured", "{defect}: {rule} {value}: {state}"),
    ("mbei.measured_over_recorded", "{defect}: {rule} {value}: {state}, not the {recorded} recorded"),
    ("mbei.rule.crack", "crack width (mm; CS2 from 0.30, CS3 above 1.27, unconfirmed for element 1130)"),
    ("mbei.rule.psc_crack", "crack width in prestressed concrete (mm; CS2 from 0.1, CS3 above 0.23, unconfirmed)"),
    ("mbei.rule.spall", "spall depth or size (mm; CS3 beyond 25 mm deep or 150 mm across)"),
    ("mbei.rule.section_loss", "section loss (%; any measurable loss is CS3)"),
    ("mbei.rule.scour", "scour depth at or beyond the course's critical depth (m)"),
    ("mbei.share", "{defect}: no quantity measured in the element's unit, {extent} taken as {share} % of the element"),
    ("mbei.no_extent", "no extent recorded"),
    ("mbei.unrated", "{defects} has no condition state: give one to assess {component}"),
    ("mbei.no_defect", "no defect recorded: {split} of {total}, health index {health} %"),
    ("mbei.states", "{split} of {total}: health index {health} %"),
    ("mbei.could_be_worse", "{defects} has no condition state: the element could be worse"),
    ("mbei.bhi", "Bridge Health Index {bhi} over {count} elements: current value over total value, each element valued at its quantity times its failure cost"),
    ("mbei.weights", "condition-state weights {weights}; extent shares and default failure costs are Voussoir's, unconfirmed"),
    ("mbei.not_evaluated", "not assessed: {components}; the index covers the elements seen"),
    ("mbei.nothing_evaluated", "no element could be assessed: NE"),
    ("place.own_gps", "from the photo's own GPS"),
    ("place.phone", "from the phone's position in the capture app"),
    ("place.phone_refused_own_gps", "phone position refused ({error}); from the photo's own GPS"),
    ("place.phone_refused", "phone position refused: {error}"),
    ("place.phone_none", "the phone gave no position"),
    ("place.null_island_no_time", "EXIF GPS is 0,0 (no fix) and the photo has no capture time"),
    ("place.no_time", "no capture time in the photo, so it cannot be placed on a track"),
    ("place.null_island", "EXIF GPS is 0,0 (no fix), ignored; {note}"),
    ("place.no_track", "no track with timed fixes to place it on"),
    ("place.extrapolated_before", "at the nearest fix, {duration} before the track starts (max-extrapolate {max} s)"),
    ("place.extrapolated_after", "at the nearest fix, {duration} after the track ends (max-extrapolate {max} s)"),
    ("place.outside_before", "outside the track: {duration} before the track starts"),
    ("place.outside_after", "outside the track: {duration} after the track ends"),
    ("place.on_fix", "on a fix"),
    ("place.gap", "in a gap of {duration} between fixes (max-gap {max} s)"),
    ("place.interpolated", "interpolated between fixes {duration} apart"),
    ("place.not_covered", "no track covers this time"),
    ("place.between_segments", "between two track segments (the logger stopped); --across-segments interpolates anyway"),
];

/// French templates.
pub const FR: &[(&str, &str)] = &[
    ("iqoa.not_inspected", "non inspecté lors de cette inspection : NE"),
    ("iqoa.defects_on_not_inspected", "attention : {count} désordre(s) relevé(s) sur {component} alors qu'il est marqué non inspecté ({defects}) ; ils ne fixent pas sa classe : le formateur décide s'il a été inspecté"),
    ("iqoa.equipment_cap", "{defect} est un désordre d'équipement ou de protection : il conduit au plus à {cap}, donc {implied} compte pour {cap} (règle marquée non confirmée dans la référence)"),
    ("iqoa.safety", "{defect} menace la sécurité des usagers : mention S"),
    ("iqoa.ungraded_only", "{defects} n'a pas de gravité : cotez-le pour évaluer {component}"),
    ("iqoa.no_defect", "aucun désordre relevé : classe 1"),
    ("iqoa.worst_defect", "désordre le plus grave : {defects}"),
    ("iqoa.could_be_worse", "{defects} n'a pas de gravité : la classe pourrait être plus mauvaise"),
    ("iqoa.no_part", "aucun élément de la partie {part}"),
    ("iqoa.part_not_evaluated", "aucun élément de cette partie n'a été évalué"),
    ("iqoa.worst_component", "élément le plus dégradé : {components}"),
    ("iqoa.nothing_evaluated", "aucun élément n'a pu être évalué : NE"),
    ("iqoa.partial", "aucun élément de structure n'a été évalué : NE (partiel) ; les équipements et protections vus atteignent la classe {class}"),
    ("iqoa.structure_class", "classe {class} : élément le plus dégradé {components}"),
    ("iqoa.component", "{component}"),
    ("iqoa.component_defects", "{component} (désordre {ids})"),
    ("iqoa.class_means", "la classe {class} signifie : {meaning}"),
    ("iqoa.not_evaluated", "non évalués : {components} ; la classe porte sur les parties vues"),
    ("iqoa.safety_on", "mention S : sécurité des usagers menacée sur {components}"),
    ("iqoa.meaning.1", "bon état apparent ; entretien courant seulement"),
    ("iqoa.meaning.2", "équipements ou protections défectueux, ou désordres mineurs de structure ; entretien spécialisé non urgent"),
    ("iqoa.meaning.2E", "comme 2, mais urgent : les désordres risquent d'atteindre rapidement la structure"),
    ("iqoa.meaning.3", "structure altérée ; travaux de réparation, non urgents"),
    ("iqoa.meaning.3U", "structure gravement altérée ; capacité portante insuffisante ou sur le point de l'être ; réparation urgente"),
    ("crosswalk", "{defect} : {severity} d'après {origin} par la table de correspondance"),
    ("critical_scour", "{defect} : affouillement de {depth} m, au moins la profondeur critique de {critical} m que la formation donne pour {component}"),
    ("nbi.not_inspected", "non inspecté lors de cette inspection : non noté"),
    ("nbi.defect_allows", "{defect} {severity} et {extent} permet au plus {rating}"),
    ("nbi.defect_allows_converted", "{defect} {severity} (d'après {origin} par la table de correspondance) et {extent} permet au plus {rating}"),
    ("nbi.extent_assumed", "{extent} (étendue non relevée, prise comme partielle)"),
    ("nbi.extent_combined", "{recorded}, pris comme {extent} pour l'élément : {count} désordres de ce type sur {component}"),
    ("nbi.ungraded_only", "{defects} n'a pas de gravité : cotez-le pour noter {component}"),
    ("nbi.no_defect", "aucun désordre relevé : 9 (excellent)"),
    ("nbi.lowest_defect", "désordre le plus grave : {parts}"),
    ("nbi.stops_at_3", "les codes 2, 1 et 0 (critique, ruine imminente, hors service) demandent une décision d'ingénieur sur la fermeture ; Voussoir s'arrête à 3"),
    ("nbi.could_be_lower", "{defects} n'a pas de gravité : la note pourrait être plus basse"),
    ("nbi.safety_dropped", "une mention S (sécurité des usagers) n'a pas d'équivalent NBI et n'est pas reprise"),
    ("nbi.item_culvert_whole", "N : sur un ouvrage cadre ou buse, le poste 62 note l'ensemble de l'ouvrage"),
    ("nbi.item_not_culvert", "N : l'ouvrage n'est pas un ouvrage cadre ou une buse"),
    ("nbi.item_no_component", "N : l'ouvrage n'a pas d'élément de ce poste"),
    ("nbi.item_none_rated", "aucun de ses éléments n'a été noté"),
    ("nbi.item_lowest", "{rating} ({label}) : élément le plus bas {components}"),
    ("nbi.not_rated", "non notés : {components}"),
    ("nbi.no_governing_item", "aucun des postes déterminants (58 à 60, ou 62 sur un ouvrage cadre) n'a été noté"),
    ("nbi.governing_unrated", "{items} non noté : bon, passable ou mauvais demande la plus basse de tous les postes déterminants (23 CFR 490.409) ; les postes notés sont au plus à {lowest}"),
    ("nbi.deficient", "structurellement déficient : un poste parmi 58, 59, 60, 62 est à 4 ou moins (23 CFR 490.411)"),
    ("nbi.lowest_of_items", "la plus basse des notes des postes 58, 59, 60 est {rating} ({label}), d'après {items}"),
    ("nbi.culvert_item", "le poste 62 est à {rating} ({label}), d'après {items}"),
    ("nbi.class_rule", "{class} : 7 à 9 bon (good), 5 à 6 passable (fair), 0 à 4 mauvais (poor) (23 CFR 490.409)"),
    ("nbi.label.9", "excellent"),
    ("nbi.label.8", "très bon"),
    ("nbi.label.7", "bon"),
    ("nbi.label.6", "satisfaisant"),
    ("nbi.label.5", "passable"),
    ("nbi.label.4", "médiocre"),
    ("nbi.label.3", "grave"),
    ("nbi.label.2", "critique"),
    ("nbi.label.1", "ruine imminente"),
    ("nbi.label.0", "hors service"),
    ("bci.not_inspected", "non inspecté lors de cette inspection : NE (l'élément garde son dernier état relevé)"),
    ("bci.defect", "{defect} gravité {severity}, étendue {extent} : note d'état {ecs}"),
    ("bci.defect_extent_assumed", "{defect} gravité {severity}, étendue {extent} (étendue non relevée, prise comme faible) : note d'état {ecs}"),
    ("bci.no_defect", "aucun désordre relevé : note d'état 1,0"),
    ("bci.eci", "note d'état {ecs}, importance {importance} : indice d'état {eci}"),
    ("bci.average", "BCI moyen {bci}, d'après la note d'état {bcs} sur {count} éléments pondérés par leur importance"),
    ("bci.critical", "BCI critique {bci}, d'après {component} (indice d'état {eci})"),
    ("bci.band", "{band} (seuils 90, 80, 65 et 40, non confirmés dans la référence)"),
    ("bci.nothing_evaluated", "aucun élément n'a pu être évalué : NE"),
    ("bci.importance.very_high", "très haute (élément critique)"),
    ("bci.importance.high", "haute"),
    ("bci.importance.medium", "moyenne"),
    ("bci.importance.low", "faible"),
    ("bci.band.very_good", "très bon"),
    ("bci.band.good", "bon"),
    ("bci.band.fair", "moyen"),
    ("bci.band.poor", "mauvais"),
    ("bci.band.very_poor", "très mauvais"),
    ("rib.not_inspected", "non inspecté lors de cette inspection : NE"),
    ("rib.damage", "{defect} {rating} : note de base {base}, étendue {extent} : {note}"),
    ("rib.damage_extent_assumed", "{defect} {rating} : note de base {base}, étendue {extent} (non relevée) : {note}"),
    ("rib.no_damage", "aucun dommage relevé : 1,0"),
    ("rib.unrated", "{defects} n'a pas de cotation S/V/D : cotez-le pour évaluer {component}"),
    ("rib.extent.small", "faible"),
    ("rib.extent.medium", "moyenne"),
    ("rib.extent.large", "grande"),
    ("rib.group_not_evaluated", "aucun élément de ce groupe n'a été évalué"),
    ("rib.group_worst", "élément le plus dégradé {components} : {note}"),
    ("rib.group_count", "{count} dommages dans le groupe : +{add}"),
    ("rib.structure_worst", "groupe le plus dégradé {groups} : {note}"),
    ("rib.structure_groups", "{count} groupes endommagés : +{add}"),
    ("rib.range", "Zustandsnote {note} : {meaning}"),
    ("rib.substance", "Substanzkennzahl {substance} (la même sans la sécurité routière)"),
    ("rib.groups_not_evaluated", "non évalués : {groups} ; la note porte sur les groupes vus"),
    ("rib.nothing_evaluated", "aucun élément n'a pu être évalué : NE"),
    ("rib.unconfirmed", "notes de base et corrections par défaut de Voussoir, non confirmées : à vérifier dans l'annexe de la RI-EBW-PRÜF"),
    ("rib.range.1", "très bon : stabilité, sécurité routière et durabilité assurées ; entretien courant"),
    ("rib.range.2", "bon : stabilité et sécurité routière assurées, durabilité peut-être légèrement atteinte à long terme ; entretien courant"),
    ("rib.range.3", "satisfaisant : stabilité et sécurité routière assurées, durabilité peut-être légèrement atteinte ; réparation à moyen terme"),
    ("rib.range.4", "suffisant : stabilité assurée, sécurité routière peut-être atteinte, durabilité peut-être nettement atteinte ; réparation à court terme"),
    ("rib.range.5", "insuffisant : stabilité ou sécurité routière atteinte ; réparation immédiate, restrictions possibles"),
    ("rib.range.6", "inacceptable : stabilité ou sécurité routière gravement atteinte ou perdue ; action immédiate, restriction ou fermeture"),
    ("mbei.not_inspected", "non inspecté lors de cette inspection : NE"),
    ("mbei.measured", "{defect} : {rule} {value} : {state}"),
    ("mbei.measured_over_recorded", "{defect} : {rule} {value} : {state}, et non {recorded} comme relevé"),
    ("mbei.rule.crack", "ouverture de fissure (mm ; CS2 dès 0,30, CS3 au-delà de 1,27, non confirmé pour l'élément 1130)"),
    ("mbei.rule.psc_crack", "ouverture de fissure en béton précontraint (mm ; CS2 dès 0,1, CS3 au-delà de 0,23, non confirmé)"),
    ("mbei.rule.spall", "profondeur ou taille de l'épaufrure (mm ; CS3 au-delà de 25 mm de profondeur ou 150 mm de diamètre)"),
    ("mbei.rule.section_loss", "perte de section (% ; toute perte mesurable est CS3)"),
    ("mbei.rule.scour", "affouillement d'au moins la profondeur critique de la formation (m)"),
    ("mbei.share", "{defect} : aucune quantité mesurée dans l'unité de l'élément, {extent} pris comme {share} % de l'élément"),
    ("mbei.no_extent", "étendue non relevée"),
    ("mbei.unrated", "{defects} n'a pas d'état : donnez-en un pour évaluer {component}"),
    ("mbei.no_defect", "aucun désordre relevé : {split} sur {total}, indice de santé {health} %"),
    ("mbei.states", "{split} sur {total} : indice de santé {health} %"),
    ("mbei.could_be_worse", "{defects} n'a pas d'état : l'élément pourrait être plus dégradé"),
    ("mbei.bhi", "indice de santé de l'ouvrage (BHI) {bhi} sur {count} éléments : valeur actuelle sur valeur totale, chaque élément valant sa quantité fois son coût de remplacement"),
    ("mbei.weights", "poids des états {weights} ; parts d'étendue et coûts par défaut de Voussoir, non confirmés"),
    ("mbei.not_evaluated", "non évalués : {components} ; l'indice porte sur les éléments vus"),
    ("mbei.nothing_evaluated", "aucun élément n'a pu être évalué : NE"),
    ("place.own_gps", "d'après le GPS de la photo"),
    ("place.phone", "d'après la position du téléphone dans l'application de relevé"),
    ("place.phone_refused_own_gps", "position du téléphone refusée ({error}) ; d'après le GPS de la photo"),
    ("place.phone_refused", "position du téléphone refusée : {error}"),
    ("place.phone_none", "le téléphone n'a donné aucune position"),
    ("place.null_island_no_time", "GPS EXIF à 0,0 (sans réception) et photo sans heure de prise de vue"),
    ("place.no_time", "la photo n'a pas d'heure de prise de vue : elle ne peut pas être placée sur une trace"),
    ("place.null_island", "GPS EXIF à 0,0 (sans réception), ignoré ; {note}"),
    ("place.no_track", "aucune trace horodatée pour la placer"),
    ("place.extrapolated_before", "au point le plus proche, {duration} avant le début de la trace (extrapolation max. {max} s)"),
    ("place.extrapolated_after", "au point le plus proche, {duration} après la fin de la trace (extrapolation max. {max} s)"),
    ("place.outside_before", "hors de la trace : {duration} avant son début"),
    ("place.outside_after", "hors de la trace : {duration} après sa fin"),
    ("place.on_fix", "sur un point de la trace"),
    ("place.gap", "dans un trou de {duration} entre deux points (écart max. {max} s)"),
    ("place.interpolated", "interpolée entre deux points distants de {duration}"),
    ("place.not_covered", "aucune trace ne couvre cette heure"),
    ("place.between_segments", "entre deux segments de trace (l'enregistreur s'est arrêté) ; --across-segments interpole malgré tout"),
];

/// The template of a key in a language (`fr`, `en`).
pub fn template(language: &str, key: &str) -> Option<&'static str> {
    let table = if language == "fr" { FR } else { EN };
    table
        .iter()
        .find(|(known, _)| *known == key)
        .map(|(_, template)| *template)
}

/// A note in English, from the catalogue (placement notes are stored and
/// exchanged in English, and translated when shown).
pub fn english(key: &str, values: &[(&str, String)]) -> String {
    super::fill(template("en", key).unwrap_or(key), values)
}

/// A stored placement note in `language`: the note is matched against the
/// English `place.*` templates and written again from the language's one,
/// a nested note translated in turn. A note no template matches (written
/// by another tool) is shown as it is.
pub fn translate_note(note: &str, language: &str) -> String {
    if language != "fr" {
        return note.to_string();
    }
    for (key, english) in EN.iter().filter(|(key, _)| key.starts_with("place.")) {
        let Some(mut values) = match_template(english, note) else {
            continue;
        };
        for (name, value) in &mut values {
            if *name == "note" {
                *value = translate_note(value, language);
            }
        }
        let target = template(language, key).unwrap_or(english);
        return super::fill(target, &values);
    }
    note.to_string()
}

/// The values a text gives a template's places, if the text is that
/// template filled in.
pub(super) fn match_template<'t>(template: &'t str, text: &str) -> Option<Vec<(&'t str, String)>> {
    let mut pieces = template.split('{');
    let mut rest = text.strip_prefix(pieces.next().unwrap_or(""))?;
    let mut values = Vec::new();
    let mut places = pieces.peekable();
    while let Some(piece) = places.next() {
        let (name, literal) = piece.split_once('}')?;
        let value = if places.peek().is_none() {
            rest.strip_suffix(literal)?
        } else if literal.is_empty() {
            return None;
        } else {
            &rest[..rest.find(literal)?]
        };
        values.push((name, value.to_string()));
        rest = &rest[value.len() + literal.len()..];
    }
    rest.is_empty().then_some(values)
}

#[cfg(test)]
mod tests {
    use super::super::places;
    use super::*;

    #[test]
    fn placement_notes_are_written_again_in_french() {
        let note = english("place.interpolated", &[("duration", "10 s".to_string())]);
        assert_eq!(note, "interpolated between fixes 10 s apart");
        assert_eq!(
            translate_note(&note, "fr"),
            "interpolée entre deux points distants de 10 s"
        );
        let nested = english(
            "place.null_island",
            &[("note", english("place.no_track", &[]))],
        );
        assert_eq!(
            translate_note(&nested, "fr"),
            "GPS EXIF à 0,0 (sans réception), ignoré ; aucune trace horodatée pour la placer"
        );
        assert_eq!(translate_note(&note, "en"), note);
        assert_eq!(translate_note("set by hand", "fr"), "set by hand");
        assert_eq!(translate_note("on a fix", "fr"), "sur un point de la trace");
        assert_eq!(translate_note("on a fix, really", "fr"), "on a fix, really");
    }

    #[test]
    fn every_reason_has_both_languages_with_the_same_places() {
        assert_eq!(EN.len(), FR.len());
        for (key, english) in EN {
            let french = template("fr", key).unwrap_or_else(|| panic!("`{key}` has no French"));
            assert_eq!(
                places(english),
                places(french),
                "`{key}` names other places in French"
            );
        }
    }
}
