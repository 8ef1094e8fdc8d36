#include "app/qr.h"

#include <qrencode.h>

#include <memory>
#include <stdexcept>

namespace huoyan::app {

std::string qr_svg(const std::string& text, int module_px) {
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1),
                                                       &QRcode_free);
  if (!code) throw std::runtime_error("QR encoding failed");
  const int quiet = 4, width = code->width, size = (width + 2 * quiet) * module_px;
  std::string path;
  for (int y = 0; y < width; ++y)
    for (int x = 0; x < width; ++x)
      if (code->data[y * width + x] & 1)
        path += "M" + std::to_string((x + quiet) * module_px) + " " + std::to_string((y + quiet) * module_px) + "h" +
                std::to_string(module_px) + "v" + std::to_string(module_px) + "h-" + std::to_string(module_px) + "z";
  std::string s = std::to_string(size);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + s + "\" height=\"" + s + "\" viewBox=\"0 0 " + s + " " + s +
         "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"" +
         path + "\"/></svg>";
}

}  // namespace huoyan::app
