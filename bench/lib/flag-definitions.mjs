/**
 * 51 realistic flag definitions for the flag benchmarks: person-property targeting with several operators,
 * rollouts, multivariate flags with payloads, a group flag, a cohort and a flag dependency.
 */
export function flagDefinitions() {
  const flags = [];
  for (let i = 0; i < 48; i++) {
    const multivariate = i % 4 === 0;
    flags.push({
      id: i + 1,
      key: `flag-${i}`,
      active: true,
      filters: {
        groups: [
          {
            properties: [
              { key: 'email', value: 'example.com', operator: 'icontains', type: 'person' },
              { key: 'plan', value: ['pro', 'enterprise'], operator: 'exact', type: 'person' },
              ...(i % 3 === 0
                ? [{ key: 'app_version', value: '2.1.0', operator: 'semver_gte', type: 'person' }]
                : []),
            ],
            rollout_percentage: 30 + (i % 7) * 10,
          },
          {
            properties: [{ key: 'country', value: ['US', 'DE'], operator: 'exact', type: 'person' }],
            rollout_percentage: 20,
          },
          ...(i % 5 === 0
            ? [{ properties: [{ key: 'seats', value: 10, operator: 'gt', type: 'person' }] }]
            : []),
        ],
        ...(multivariate
          ? {
              multivariate: {
                variants: [
                  { key: 'control', rollout_percentage: 50 },
                  { key: 'test', rollout_percentage: 50 },
                ],
              },
              payloads: { control: '{"layout":"a"}', test: '{"layout":"b"}' },
            }
          : { payloads: { true: '{"enabled":true}' } }),
      },
    });
  }
  flags.push({
    id: 100,
    key: 'group-flag',
    active: true,
    filters: {
      aggregation_group_type_index: 0,
      groups: [
        {
          properties: [{ key: 'employees', value: 10, operator: 'gt', type: 'group', group_type_index: 0 }],
          rollout_percentage: 100,
        },
      ],
    },
  });
  flags.push({
    id: 101,
    key: 'cohort-flag',
    active: true,
    filters: { groups: [{ properties: [{ key: 'id', value: 7, type: 'cohort' }], rollout_percentage: 100 }] },
  });
  flags.push({
    id: 102,
    key: 'dependent-flag',
    active: true,
    filters: {
      groups: [
        {
          properties: [
            {
              key: 'flag-1',
              value: true,
              operator: 'flag_evaluates_to',
              type: 'flag',
              dependency_chain: ['flag-1'],
            },
          ],
          rollout_percentage: 100,
        },
      ],
    },
  });
  return {
    flags,
    group_type_mapping: { 0: 'company' },
    cohorts: {
      7: {
        type: 'OR',
        values: [
          { type: 'AND', values: [{ key: 'plan', value: 'enterprise', operator: 'exact', type: 'person' }] },
        ],
      },
    },
  };
}

/** Person properties for evaluation `i`: every flag can be decided locally. */
export function personProperties(i) {
  return {
    email: `user${i}@example.com`,
    plan: i % 2 === 0 ? 'pro' : 'free',
    app_version: `2.${i % 4}.0`,
    country: i % 3 === 0 ? 'US' : 'FR',
    seats: i % 20,
  };
}
