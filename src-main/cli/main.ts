// Placeholder entry for the `rolecall` CLI; commands arrive with the broker.
console.log('rolecall');
