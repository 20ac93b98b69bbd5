// Personal identity numbers: validation, normalization and the router's keyed pseudonym.
export {};
