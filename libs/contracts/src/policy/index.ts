// The sharing policy: event type × audience → outcome, legal basis, consent; and the pure functions the router applies.
export {};
