// Public entry of @samverkan/calendar: Swedish working days and concern-report deadlines.
export {};
