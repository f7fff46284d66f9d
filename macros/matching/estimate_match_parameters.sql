{#- Fellegi-Sunter parameters by expectation maximisation, in SQL rounds.
    patterns: relation with blocking_rule (the first rule that found the pairs),
    found_by_<rule> flags, one <comparison>_level column per comparison and pair_count
    (int_match_comparison_patterns); u_probabilities: comparison,
    comparison_level, u_probability (int_match_u_probabilities, held fixed).

    Within the pairs found by one blocking rule (all of them: found_by_<rule> = 1), the
    comparisons on that rule's keys agree by construction and say nothing about matches,
    so each rule gets its own EM session that estimates the m-probabilities of the other
    comparisons only; a
    comparison's m-probabilities are then the average over the sessions that estimated
    it, weighted by each session's expected matches. Last sessions, again per rule with
    every m and u fixed, estimate the share of matches among candidate pairs that the
    deterministic graph has not joined. The prior used for scoring is the probability
    that two person records in different deterministic components are one person: the
    expected matches among the candidate pairs that the graph has not joined / all pairs
    of person records that lie in different components, as a pair is scored against
    every pair it could have been, not only against the blocked ones (only pairs across
    components are ever scored). Each round is one
    aggregate query over the patterns (the E step's posterior per pattern and the M
    step's expected matches per level, computed by the database), its sums rounded (to
    6 decimals) so that the order in which threads add them cannot change a digit. Starting values are
    fixed, so the result depends on the data only. Returns {'m': {comparison: {level:
    m}}, 'u': ..., 'prior': p, 'rounds': n, 'converged': bool}. -#}
{% macro estimate_match_parameters(patterns, u_probabilities, person_records) -%}
    {%- set comparisons = personagraph.match_comparisons() -%}
    {%- set u = {} -%}
    {%- set start = {} -%}
    {%- for comparison in comparisons -%}
        {%- do u.update({comparison.name: {}}) -%}
        {%- do start.update({comparison.name: {}}) -%}
        {%- set levels = comparison.levels | sort | reverse | list -%}
        {%- for level in levels -%}
            {%- if loop.first -%}
                {%- do start[comparison.name].update({level: 0.8}) -%}
            {%- elif level == 0 -%}
                {%- do start[comparison.name].update({level: 0.05}) -%}
            {%- else -%}
                {%- do start[comparison.name].update({level: 0.15 / (levels | length - 2)}) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- if not execute -%}
        {{ return({'m': start, 'u': u, 'prior': 0.1, 'rounds': 0, 'converged': false}) }}
    {%- endif -%}

    {%- for row in run_query('select comparison, comparison_level, u_probability from ' ~ u_probabilities).rows -%}
        {%- do u[row[0]].update({row[1] | int: row[2] | float}) -%}
    {%- endfor -%}

    {%- set key_comparisons = personagraph.blocking_key_comparisons() -%}
    {%- set totals = namespace(rounds=0, converged=true) -%}
    {%- set weighted_m = {} -%}
    {%- set weights = {} -%}
    {%- set levels_seen = {} -%}
    {%- for rule in var('matching__blocking_rules') -%}
        {%- set pinned = [] -%}
        {%- for key in rule['keys'] -%}
            {%- do pinned.append(key_comparisons.get(key)) -%}
        {%- endfor -%}
        {%- set free = [] -%}
        {%- for comparison in comparisons if comparison.name not in pinned -%}
            {%- do free.append(comparison.name) -%}
        {%- endfor -%}
        {%- set session = personagraph.em_session(
            patterns, 'found_by_' ~ rule.name ~ ' = 1', free, start, u, 0.1, true
        ) -%}
        {%- set totals.rounds = totals.rounds + session.rounds -%}
        {%- set totals.converged = totals.converged and session.converged -%}
        {#- A session speaks for a comparison only through the expected matches in which
            that comparison was observed (both values present): a comparison that no
            pair of the session shows keeps its starting values there, which must not
            be averaged in. -#}
        {%- for name in free if session.observed.get(name, 0) > 0 -%}
            {%- set observed = session.observed[name] -%}
            {%- do weights.update({name: weights.get(name, 0) + observed}) -%}
            {%- for level, probability in session.m[name].items() -%}
                {%- set key = name ~ ':' ~ level -%}
                {%- do weighted_m.update({key: weighted_m.get(key, 0) + probability * observed}) -%}
                {%- if key in session.level_matches -%}
                    {%- do levels_seen.update({key: true}) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endfor -%}

    {#- A level that no candidate pair of the sessions shows (or a comparison that no
        session observed) has no estimate: it gets m = u, a weight of 0 (no evidence
        either way), not the extreme weight that the floor of m would give. A level that
        pairs show but no expected match reaches keeps the floor: that is evidence. -#}
    {%- set m = {} -%}
    {%- for comparison in comparisons -%}
        {%- do m.update({comparison.name: {}}) -%}
        {%- for level in comparison.levels -%}
            {%- set key = comparison.name ~ ':' ~ level -%}
            {%- if weights.get(comparison.name, 0) > 0 and levels_seen.get(key, false) -%}
                {%- do m[comparison.name].update({level: weighted_m[key] / weights[comparison.name]}) -%}
            {%- else -%}
                {%- do m[comparison.name].update({level: u[comparison.name].get(level, 1.0)}) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}

    {#- The share of matches among the candidate pairs, with m and u fixed: each pair once,
        under the first rule that found it, without the comparisons of that rule's keys
        (they agree by construction and would make every pair look like a match) nor
        those of the earlier rules (the pair was not found by them, so their keys do not
        all agree: selected, not drawn). Summed over the rules. -#}
    {%- set shares = namespace(expected=0) -%}
    {%- set constrained = [] -%}
    {%- for rule in var('matching__blocking_rules') -%}
        {%- for key in rule['keys'] -%}
            {%- do constrained.append(key_comparisons.get(key)) -%}
        {%- endfor -%}
        {%- set free = [] -%}
        {%- for comparison in comparisons if comparison.name not in constrained -%}
            {%- do free.append(comparison.name) -%}
        {%- endfor -%}
        {%- set session = personagraph.em_session(
            patterns, "blocking_rule = '" ~ rule.name ~ "'", free, m, u, 0.1, false
        ) -%}
        {%- set totals.rounds = totals.rounds + session.rounds -%}
        {%- set totals.converged = totals.converged and session.converged -%}
        {%- set shares.expected = shares.expected + session.expected_matches -%}
    {%- endfor -%}

    {%- set counts = run_query(
        'select (select sum(component_records * (component_records - 1) / 2) from ('
        ~ ' select count(*) as component_records from ' ~ person_records
        ~ ' where component_id is not null group by component_id) as components),'
        ~ ' (select count(*) from ' ~ person_records ~ '),'
        ~ ' (select sum(pair_count) from ' ~ patterns ~ ')'
    ).rows[0] -%}
    {%- set joined_pairs = (counts[0] or 0) | float -%}
    {%- set records = (counts[1] or 0) | float -%}
    {%- set open_pairs = (counts[2] or 0) | float -%}
    {%- set all_pairs = [records * (records - 1) / 2, 1] | max -%}
    {%- set cross_component_pairs = [all_pairs - joined_pairs, 1] | max -%}
    {%- set candidate_prior = shares.expected / open_pairs if open_pairs > 0 else 0 -%}
    {%- set prior = [[shares.expected / cross_component_pairs, 0.000000001] | max, 0.5] | min -%}
    {{ return({'m': m, 'u': u, 'prior': prior, 'candidate_prior': candidate_prior,
               'rounds': totals.rounds, 'converged': totals.converged}) }}
{%- endmacro %}

{#- Which comparison a blocking key belongs to: pairs blocked on the key agree on it. -#}
{% macro blocking_key_comparisons() -%}
    {{ return({
        'first_name': 'name', 'last_name': 'name', 'last_name_sound': 'name', 'first_initial': 'name',
        'date_of_birth': 'date_of_birth', 'birth_year': 'date_of_birth',
        'address': 'address', 'house_number': 'address', 'street': 'address',
        'postcode': 'postcode', 'postcode_district': 'postcode', 'city': 'city',
        'email': 'email', 'email_local_part': 'email', 'phone': 'phone',
    }) }}
{%- endmacro %}

{#- One EM session over the patterns matching a condition. names: the comparisons in
    the likelihood; m_start, u: {comparison: {level: probability}}; estimate_m: false
    holds m fixed and estimates the prior only. Returns {'m', 'prior', 'rounds',
    'converged', 'expected_matches', 'observed' ({comparison: expected matches in which it
    was observed}), 'level_matches' ({'comparison:level': expected matches} for every
    level that the session's pairs show)}. -#}
{% macro em_session(patterns, condition, names, m_start, u, prior_start, estimate_m) -%}
    {%- set m = {} -%}
    {%- for name in names -%}
        {%- do m.update({name: {}}) -%}
        {%- for level, probability in m_start[name].items() -%}
            {%- do m[name].update({level: probability}) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set state = namespace(
        prior=prior_start, rounds=0, converged=false, expected=0, observed={}, level_matches={}
    ) -%}
    {%- for _ in range(var('matching__em_max_rounds')) if not state.converged -%}
        {%- set query -%}
            with

            scored as (
                select
                    *,
                    {{ '%.15e' | format(state.prior) }}
                    {%- for name in names %}
                    * {{ personagraph.em_level_factor(name, m[name]) }}
                    {%- endfor %} as match_part,
                    {{ '%.15e' | format(1 - state.prior) }}
                    {%- for name in names %}
                    * {{ personagraph.em_level_factor(name, u[name]) }}
                    {%- endfor %} as non_match_part
                from {{ patterns }}
                where {{ condition }}
            ),

            posterior as (
                select
                    *,
                    pair_count * match_part / (match_part + non_match_part) as expected_matches
                from scored
            )

            {% for name in names if estimate_m -%}
            select
                '{{ name }}' as comparison,
                {{ name }}_level as comparison_level,
                round(sum(expected_matches), 6) as expected_matches
            from posterior
            where {{ name }}_level >= 0
            group by {{ name }}_level
            union all
            {% endfor -%}
            select '' as comparison, -1 as comparison_level, round(sum(expected_matches) / sum(pair_count), 12)
            from posterior
            union all
            select '' as comparison, -2 as comparison_level, round(sum(expected_matches), 6)
            from posterior
        {%- endset -%}
        {%- set expected = {} -%}
        {%- set sums = {} -%}
        {%- for row in run_query(query).rows -%}
            {%- if row[0] == '' -%}
                {%- do expected.update({row[1] | int: (row[2] if row[2] is not none else 0) | float}) -%}
            {%- else -%}
                {%- do expected.update({row[0] ~ ':' ~ (row[1] | int): row[2] | float}) -%}
            {%- endif -%}
        {%- endfor -%}
        {#- Summed in level order, not in the order the rows came back, so that the float
            sum (and every m-probability) is the same on every run and engine. -#}
        {%- for name in names if estimate_m -%}
            {%- for level in m[name] | sort -%}
                {%- do sums.update({name: sums.get(name, 0) + expected.get(name ~ ':' ~ level, 0)}) -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- set change = namespace(largest=0) -%}
        {%- for name in names if estimate_m and sums.get(name, 0) > 0 -%}
            {%- for level in m[name] -%}
                {%- set new_m = [expected.get(name ~ ':' ~ level, 0) / sums[name], 0.000001] | max -%}
                {%- set change.largest = [change.largest, (new_m - m[name][level]) | abs] | max -%}
                {%- do m[name].update({level: new_m}) -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- set new_prior = [[expected.get(-1, 0), 0.000001] | max, 0.999999] | min -%}
        {%- set change.largest = [change.largest, (new_prior - state.prior) | abs] | max -%}
        {%- set state.prior = new_prior -%}
        {%- set state.expected = expected.get(-2, 0) -%}
        {%- set state.observed = sums -%}
        {%- set state.level_matches = expected -%}
        {%- set state.rounds = state.rounds + 1 -%}
        {%- if change.largest < var('matching__em_tolerance') -%}
            {%- set state.converged = true -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return({'m': m, 'prior': state.prior, 'rounds': state.rounds, 'converged': state.converged,
               'expected_matches': state.expected, 'observed': state.observed,
               'level_matches': state.level_matches}) }}
{%- endmacro %}

{#- The probability of a pattern's level of one comparison as a SQL factor: the given
    probability per level (a DOUBLE literal), 1 when the level is missing (-1). -#}
{% macro em_level_factor(comparison_name, probabilities) -%}
    (case {{ comparison_name }}_level
        {%- for level, probability in probabilities | dictsort %}
        when {{ level }} then {{ '%.15e' | format(probability) }}
        {%- endfor %}
        else 1e0 end)
{%- endmacro %}
