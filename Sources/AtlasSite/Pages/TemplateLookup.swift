import Mustache

// The template engine finds a value by building a `Mirror` of the object for every name it looks
// up, which dominates rendering for long tables (thousands of rows × a dozen cells). The row
// types of the long tables answer by name directly instead. Each switch lists exactly the stored
// properties; a test compares every answer with the Mirror's.

extension TapDetailRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "rowId": rowId
        case "block": block
        case "tap": tap
        case "yIndex": yIndex
        case "maxAbs": maxAbs
        case "medianAbs": medianAbs
        case "ratio": ratio
        case "massiveCount": massiveCount
        case "nonFiniteCount": nonFiniteCount
        case "elementCount": elementCount
        case "topValue": topValue
        case "topToken": topToken
        case "topPosition": topPosition
        default: nil
        }
    }
}

extension MassiveRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layer": layer
        case "window": window
        case "position": position
        case "dim": dim
        case "value": value
        case "token": token
        default: nil
        }
    }
}

extension LayerRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "block": block
        case "yIndex": yIndex
        case "maxAbs": maxAbs
        case "medianAbs": medianAbs
        case "ratio": ratio
        case "massiveCount": massiveCount
        case "topValue": topValue
        case "topToken": topToken
        case "topWindow": topWindow
        case "topPosition": topPosition
        case "topDim": topDim
        default: nil
        }
    }
}
