// Public entry of @samverkan/calendar: Swedish working days and concern-report deadlines, on local
// dates in Europe/Stockholm (shared by social-services and reporting).
export * from './dates/local-date';
export * from './dates/time-zone';
export * from './holidays/swedish-holidays';
export * from './working-days/working-day-calendar';
export * from './deadlines/concern-report-deadlines';
