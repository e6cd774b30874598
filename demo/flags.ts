/** Flag definitions the demo serves from the local server, in PostHog's local-evaluation format. */
export const DEMO_FLAGS = {
  flags: [
    {
      id: 1,
      key: 'new-checkout',
      active: true,
      filters: {
        groups: [
          {
            properties: [{ key: 'plan', value: ['pro'], operator: 'exact', type: 'person' }],
            rollout_percentage: 100,
          },
        ],
      },
    },
    {
      id: 2,
      key: 'pricing-test',
      active: true,
      filters: {
        groups: [
          {
            properties: [{ key: 'email', value: '@example.com', operator: 'icontains', type: 'person' }],
            rollout_percentage: 100,
          },
        ],
        multivariate: {
          variants: [
            { key: 'control', rollout_percentage: 50 },
            { key: 'annual-discount', rollout_percentage: 50 },
          ],
        },
        payloads: { control: '{"price":20}', 'annual-discount': '{"price":16,"badge":"-20%"}' },
      },
    },
    {
      id: 3,
      key: 'company-beta',
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
    },
  ],
  group_type_mapping: { '0': 'company' },
  cohorts: {},
};
