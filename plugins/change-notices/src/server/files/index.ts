/**
 * Files as truth: the text of every uploaded file, read in the worker (`file.extract`), stored per page,
 * slide or sheet, and carried into the search documents of the collateral that uses the file.
 */
export { createFilesService, FILE_FIELDS, hasReadableText, UPLOAD_FILE_UID, type FileReader, type FilesService, type FileText, type UploadedFile } from './service';
export { bootstrapFiles } from './bootstrap';
export { extractText } from './extract';
export { filesRoutes } from './routes';
import files from './files.controller';
export const filesControllers = { files };
