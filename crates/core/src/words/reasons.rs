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
    ("plain", "{text}"),
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
    ("plain", "{text}"),
];

/// The template of a key in a language (`fr`, `en`).
pub fn template(language: &str, key: &str) -> Option<&'static str> {
    let table = if language == "fr" { FR } else { EN };
    table
        .iter()
        .find(|(known, _)| *known == key)
        .map(|(_, template)| *template)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places(template: &str) -> Vec<&str> {
        let mut found: Vec<&str> = template
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect();
        found.sort_unstable();
        found
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
