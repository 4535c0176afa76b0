// Package csvx reads the files the platform imports — CSV with a header row, or a JSON array of
// objects — into rows of text by column, and says what is wrong with a file or a row in Chinese
// and English. It knows nothing of what the columns mean: each importer names its columns, checks
// its rows, and reports refused rows with RowError; Refused turns those into the one error of an
// all-or-nothing import.
//
//	Text      the bytes of a file as UTF-8: a UTF-8 byte-order mark dropped; GBK where allowed
//	ReadCSV   a header row and the data rows under it (blank rows skipped, short rows refused)
//	ReadJSON  an array of objects; scalars become text, an array of scalars its elements joined by ";"
//	Date      a date as spreadsheets write it (2006-01-02, 2006/1/2, 2006.1.2, 2006年1月2日)
//	Encode    UTF-8 text in an Encoding, for a file a spreadsheet opens
//
// It imports only the kernel's errs and civil.
package csvx
