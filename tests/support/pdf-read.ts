import jsQR from 'jsqr';
import { extractImages, extractText, getDocumentProxy } from 'unpdf';

// PDF.js (inside unpdf) copies image data with ArrayBuffer#transferToFixedLength, which Node has only
// from 21 on; without it the images of a page are silently skipped on Node 20 (the project's minimum).
const buffers = ArrayBuffer.prototype as ArrayBuffer & { transferToFixedLength?: (length?: number) => ArrayBuffer };
buffers.transferToFixedLength ??= function (this: ArrayBuffer, length = this.byteLength) {
	const copy = new ArrayBuffer(length);
	new Uint8Array(copy).set(new Uint8Array(this, 0, Math.min(length, this.byteLength)));
	return copy;
};

/** What a reader gets out of a PDF: its text with white space removed, and its pages. */
export async function pdfText(bytes: Uint8Array): Promise<{ flat: string; pages: number }> {
	const pdf = await getDocumentProxy(bytes.slice());
	const { text } = await extractText(pdf, { mergePages: true });
	return { flat: text.replace(/\s+/g, ''), pages: pdf.numPages };
}

/** Every QR code found in the PDF's images, decoded (images are gray, RGB or RGBA pixels). */
export async function pdfQrCodes(bytes: Uint8Array): Promise<string[]> {
	const pdf = await getDocumentProxy(bytes.slice());
	const decoded: string[] = [];
	for (let page = 1; page <= pdf.numPages; page++) {
		for (const image of await extractImages(pdf, page)) {
			const rgba = new Uint8ClampedArray(image.width * image.height * 4);
			for (let i = 0; i < image.width * image.height; i++) {
				for (let c = 0; c < 3; c++) rgba[i * 4 + c] = image.data[i * image.channels + (image.channels >= 3 ? c : 0)];
				rgba[i * 4 + 3] = 255;
			}
			const qr = jsQR(rgba, image.width, image.height);
			if (qr) decoded.push(qr.data);
		}
	}
	return decoded;
}
