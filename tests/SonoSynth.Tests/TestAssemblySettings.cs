// Test classes run one after another. Several library paths seed libtorch's process-wide generator
// (model initialisation, dropout) and in-process CLI tests redirect the process-wide Console; classes running in
// parallel would disturb each other's seeds and captures. On 2 cores libtorch already uses both for each test.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
