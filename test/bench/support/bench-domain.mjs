/** The generation benchmark's input: the synthetic domain's size and our plugin's options for it. */
export const BENCH_DOMAIN_SIZE = { packages: 10, filesPerPackage: 10, entitiesPerFile: 10 };
export const BENCH_PARAMETER = "project=bench-project,pii_policy_tag=projects/bench-project/locations/eu/taxonomies/1/policyTags/3";
