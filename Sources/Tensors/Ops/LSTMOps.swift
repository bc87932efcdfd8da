import CBLAS
import CKernels

/// What the forward pass of `Tensor.lstm` keeps for back-propagation through time.
///
/// Inside the op everything is feature-major, columns ordered (t, b): a step's block is then a
/// [rows, B] matrix, so the recurrent products are W_hh [4H, H] x h_{t-1} [H, B], an sgemm shape
/// OpenBLAS runs about 1.5x faster than the batch-major h_{t-1} [B, H] x W_hh^T, and the gate loops
/// run along the batch in SIMD vectors. Buffers are allocated by hand and freed with the graph.
private final class LSTMCache {
  /// [T * B, I]: the input with rows in (t, b) order.
  let inputs: UnsafeMutablePointer<Float>
  /// [4H, T * B]: gate activations i, f, g, o (after sigmoid / tanh).
  let gates: UnsafeMutablePointer<Float>
  /// [H, (T + 1) * B]: h_0, h_1, ..., h_T (h_0 zeros unless given).
  let hiddens: UnsafeMutablePointer<Float>
  /// [H, (T + 1) * B]: c_0, c_1, ..., c_T (c_0 zeros unless given).
  let cells: UnsafeMutablePointer<Float>
  /// [H, T * B]: tanh(c_1), ..., tanh(c_T).
  let tanhCells: UnsafeMutablePointer<Float>

  init(batch: Int, time: Int, input: Int, hidden: Int) {
    inputs = .allocate(capacity: time * batch * input)
    gates = .allocate(capacity: 4 * hidden * time * batch)
    hiddens = .allocate(capacity: hidden * (time + 1) * batch)
    cells = .allocate(capacity: hidden * (time + 1) * batch)
    tanhCells = .allocate(capacity: hidden * time * batch)
  }

  deinit {
    inputs.deallocate()
    gates.deallocate()
    hiddens.deallocate()
    cells.deallocate()
    tanhCells.deallocate()
  }
}

extension Tensor {
  /// A one-layer LSTM over a whole batch-first sequence, as one fused op (PyTorch's `nn.LSTM`
  /// with `batch_first=True`, gates in PyTorch's order i, f, g, o).
  ///
  /// For t = 1...T, with x_t the input at step t and h_0, c_0 the initial state (zeros if nil):
  ///   i = sigmoid(W_ii x_t + b_ii + W_hi h_{t-1} + b_hi)
  ///   f = sigmoid(W_if x_t + b_if + W_hf h_{t-1} + b_hf)
  ///   g = tanh(W_ig x_t + b_ig + W_hg h_{t-1} + b_hg)
  ///   o = sigmoid(W_io x_t + b_io + W_ho h_{t-1} + b_ho)
  ///   c_t = f * c_{t-1} + i * g
  ///   h_t = o * tanh(c_t)
  /// where W_ih = [W_ii; W_if; W_ig; W_io] is `weightIH` [4H, I] and W_hh likewise `weightHH` [4H, H].
  ///
  /// - Parameters:
  ///   - input: [B, T, I]
  ///   - weightIH: [4H, I]; weightHH: [4H, H]; biasIH, biasHH: [4H] (both or neither)
  ///   - initialHidden, initialCell: [B, H] or nil (zeros)
  /// - Returns: output [B, T, H] (h_1...h_T), lastHidden h_T [B, H] and lastCell c_T [B, H].
  ///   Gradients flow back from all three.
  ///
  /// Cost: one sgemm for the input projections of all steps, then per step one sgemm for
  /// W_hh h_{t-1} and one vectorized pass over the gates. Backward (back-propagation through time)
  /// runs the steps in reverse with one sgemm per step for dh_{t-1} = W_hh^T dgates_t, then
  /// accumulates dW_ih, dW_hh and dx with one sgemm each over all steps.
  ///
  /// The three results are slices of one packed tensor [B, T + 1, H] (rows 0..<T the hidden states,
  /// row T the last cell state) made by the fused op, so a single backward serves all of them.
  public static func lstm(
    _ input: Tensor, weightIH: Tensor, weightHH: Tensor, biasIH: Tensor?, biasHH: Tensor?,
    initialHidden: Tensor? = nil, initialCell: Tensor? = nil
  ) -> (output: Tensor, lastHidden: Tensor, lastCell: Tensor) {
    if weightHH.rank != 2 || weightHH.shape[0] != 4 * weightHH.shape[1] || weightHH.shape[1] == 0 {
      tensorFailure("lstm: weightHH must be [4 * hidden, hidden] with hidden > 0, got \(weightHH.shape)")
    }
    let hidden = weightHH.shape[1]
    let gateRows = 4 * hidden
    if weightIH.rank != 2 || weightIH.shape[0] != gateRows || weightIH.shape[1] == 0 {
      tensorFailure(
        "lstm: weightIH must be [4 * hidden, input] = [\(gateRows), input > 0] to match weightHH \(weightHH.shape), got \(weightIH.shape)"
      )
    }
    let inputSize = weightIH.shape[1]
    if input.rank != 3 || input.shape[2] != inputSize || input.shape[0] == 0 || input.shape[1] == 0 {
      tensorFailure(
        "lstm: input must be [batch, time, \(inputSize)] (batch-first, batch and time > 0) for weightIH \(weightIH.shape), got \(input.shape)"
      )
    }
    if (biasIH == nil) != (biasHH == nil) {
      tensorFailure("lstm: give both biasIH and biasHH or neither")
    }
    for (name, bias) in [("biasIH", biasIH), ("biasHH", biasHH)] {
      if let bias, bias.shape != [gateRows] {
        tensorFailure("lstm: \(name) must be [\(gateRows)] (4 * hidden), got \(bias.shape)")
      }
    }
    let batch = input.shape[0]
    let time = input.shape[1]
    for (name, state) in [("initialHidden", initialHidden), ("initialCell", initialCell)] {
      if let state, state.shape != [batch, hidden] {
        tensorFailure(
          "lstm: \(name) must be [batch, hidden] = [\(batch), \(hidden)] for input \(input.shape), got \(state.shape)")
      }
    }

    let columns = time * batch  // gate columns, (t, b)
    let stateColumns = (time + 1) * batch  // state columns, slot 0 the initial state
    let packedTime = time + 1
    let cache = LSTMCache(batch: batch, time: time, input: inputSize, hidden: hidden)
    let (inputs, gates, hiddens, cells, tanhCells) =
      (cache.inputs, cache.gates, cache.hiddens, cache.cells, cache.tanhCells)

    input.withScalars { x in
      for t in 0..<time {
        for b in 0..<batch {
          (inputs + (t * batch + b) * inputSize).update(
            from: x.baseAddress! + (b * time + t) * inputSize, count: inputSize)
        }
      }
    }
    // Input projections of every step at once: gates = W_ih X^T + (b_ih + b_hh).
    if let biasIH, let biasHH {
      biasIH.withScalars { bi in
        biasHH.withScalars { bh in
          for row in 0..<gateRows {
            (gates + row * columns).initialize(repeating: bi[row] + bh[row], count: columns)
          }
        }
      }
    }
    weightIH.withScalars { w in
      sgemm(
        transposeB: true, m: gateRows, n: columns, k: inputSize, a: w.baseAddress!, lda: inputSize,
        b: inputs, ldb: inputSize, beta: biasIH == nil ? 0 : 1, c: gates, ldc: columns)
    }
    // Slot 0 of the states: h_0 and c_0 transposed to [H, B], or zeros.
    for (state, target) in [(initialHidden, hiddens), (initialCell, cells)] {
      if let state {
        state.withScalars { s in
          for j in 0..<hidden {
            for b in 0..<batch { target[j * stateColumns + b] = s[b * hidden + j] }
          }
        }
      } else {
        for j in 0..<hidden { (target + j * stateColumns).initialize(repeating: 0, count: batch) }
      }
    }
    weightHH.withScalars { whh in
      for t in 0..<time {
        // Recurrent projection added in place: gates_t += W_hh h_{t-1}.
        if t > 0 || initialHidden != nil {
          sgemm(
            m: gateRows, n: batch, k: hidden, a: whh.baseAddress!, lda: hidden,
            b: hiddens + t * batch, ldb: stateColumns, beta: 1, c: gates + t * batch, ldc: columns)
        }
        // The cell update of step t for every hidden unit (CKernels, the widest vector unit there is).
        kernels_lstm_forward_cells(
          gates + t * batch, columns, cells + t * batch, cells + (t + 1) * batch, stateColumns,
          hiddens + (t + 1) * batch, tanhCells + t * batch, columns, hidden, batch)
      }
    }
    // Packed result [B, T + 1, H]: h_1...h_T, then c_T.
    let packed = [Float](unsafeUninitializedCapacity: batch * packedTime * hidden) { buffer, initialized in
      let y = buffer.baseAddress!
      // Step by step: one step's [H, B] block of the state buffer stays in L1 while its columns are read.
      for t in 0..<packedTime {
        for b in 0..<batch {
          let target = y + (b * packedTime + t) * hidden
          let source = t < time ? hiddens + (t + 1) * batch + b : cells + time * batch + b
          for j in 0..<hidden { target[j] = source[j * stateColumns] }
        }
      }
      initialized = batch * packedTime * hidden
    }

    var parents = [input, weightIH, weightHH]
    let hasBias = biasIH != nil
    if let biasIH, let biasHH { parents += [biasIH, biasHH] }
    let hiddenIndex = initialHidden.map { _ in parents.count }
    if let initialHidden { parents.append(initialHidden) }
    let cellIndex = initialCell.map { _ in parents.count }
    if let initialCell { parents.append(initialCell) }

    let result = Tensor(
      shape: [batch, packedTime, hidden], scalars: packed, operation: "lstm", parents: parents
    ) { result in
      // The buffers above live in `cache`: it stays alive as long as this backward can run.
      withExtendedLifetime(cache) {
        backwardThroughTime(result)
      }
    }

    func backwardThroughTime(_ result: Tensor) {
      let input = result.parents[0]
      let weightIH = result.parents[1]
      let weightHH = result.parents[2]
      let biases = hasBias ? [result.parents[3], result.parents[4]] : []
      let h0 = hiddenIndex.map { result.parents[$0] }
      let c0 = cellIndex.map { result.parents[$0] }
      // Gradients with respect to the gate pre-activations, [4H, T * B].
      let gateGradients = UnsafeMutablePointer<Float>.allocate(capacity: gateRows * columns)
      defer { gateGradients.deallocate() }
      // The incoming gradient of h_1...h_T as [H, T * B].
      let outputGradients = UnsafeMutablePointer<Float>.allocate(capacity: hidden * columns)
      defer { outputGradients.deallocate() }
      // dh_{t-1} from the recurrence and dc_{t-1}, carried backwards through the steps, [H, B].
      let hiddenCarry = UnsafeMutablePointer<Float>.allocate(capacity: hidden * batch)
      hiddenCarry.initialize(repeating: 0, count: hidden * batch)
      defer { hiddenCarry.deallocate() }
      let cellCarry = UnsafeMutablePointer<Float>.allocate(capacity: hidden * batch)
      defer { cellCarry.deallocate() }

      result.gradientStorage!.withUnsafeBufferPointer { gradient in
        let dPacked = gradient.baseAddress!
        for t in 0..<packedTime {
          for b in 0..<batch {
            let source = dPacked + (b * packedTime + t) * hidden
            if t < time {
              let target = outputGradients + t * batch + b
              for j in 0..<hidden { target[j * columns] = source[j] }
            } else {
              for j in 0..<hidden { cellCarry[j * batch + b] = source[j] }
            }
          }
        }
      }
      weightHH.withScalars { whh in
        for t in stride(from: time - 1, through: 0, by: -1) {
          kernels_lstm_backward_cells(
            gates + t * batch, gateGradients + t * batch, columns, tanhCells + t * batch, cells + t * batch,
            stateColumns, outputGradients + t * batch, hiddenCarry, cellCarry, hidden, batch, t > 0 ? -batch : 0)
          // dh_{t-1} = W_hh^T dgates_t (needed for the step before, or for h_0's gradient).
          if t > 0 || h0?.requiresGrad == true {
            sgemm(
              transposeA: true, m: hidden, n: batch, k: gateRows, a: whh.baseAddress!, lda: hidden,
              b: gateGradients + t * batch, ldb: columns, beta: 0, c: hiddenCarry, ldc: batch)
          }
        }
      }
      for (state, carry) in [(h0, hiddenCarry), (c0, cellCarry)] {
        guard let state, state.requiresGrad else { continue }
        state.accumulateGradient { ds in
          for b in 0..<batch {
            for j in 0..<hidden { ds[b * hidden + j] += carry[j * batch + b] }
          }
        }
      }
      if input.requiresGrad {
        // dX = dgates^T W_ih for all steps at once, rows (t, b), then added in (b, t) order.
        let inputGradients = UnsafeMutablePointer<Float>.allocate(capacity: columns * inputSize)
        defer { inputGradients.deallocate() }
        weightIH.withScalars { wih in
          sgemm(
            transposeA: true, m: columns, n: inputSize, k: gateRows, a: gateGradients, lda: columns,
            b: wih.baseAddress!, ldb: inputSize, beta: 0, c: inputGradients, ldc: inputSize)
        }
        input.accumulateGradient { dx in
          for b in 0..<batch {
            for t in 0..<time {
              let target = dx + (b * time + t) * inputSize
              let source = inputGradients + (t * batch + b) * inputSize
              for k in 0..<inputSize { target[k] += source[k] }
            }
          }
        }
      }
      if weightIH.requiresGrad {
        // dW_ih += dgates X
        weightIH.accumulateGradient { dw in
          sgemm(
            m: gateRows, n: inputSize, k: columns, a: gateGradients, lda: columns,
            b: inputs, ldb: inputSize, beta: 1, c: dw, ldc: inputSize)
        }
      }
      if weightHH.requiresGrad {
        // dW_hh += dgates H_prev^T, H_prev = state slots 0..<T (h_0...h_{T-1}).
        weightHH.accumulateGradient { dw in
          sgemm(
            transposeB: true, m: gateRows, n: hidden, k: columns, a: gateGradients, lda: columns,
            b: hiddens, ldb: stateColumns, beta: 1, c: dw, ldc: hidden)
        }
      }
      if !biases.isEmpty, biases[0].requiresGrad || biases[1].requiresGrad {
        // Both biases enter every gate pre-activation unchanged: db = row sums of dgates.
        var rowSums = [Float](repeating: 0, count: gateRows)
        rowSums.withUnsafeMutableBufferPointer { sums in
          sumRows(of: gateGradients, rows: gateRows, columns: columns, into: sums.baseAddress!)
          for bias in biases where bias.requiresGrad {
            bias.accumulateGradient { db in
              for row in 0..<gateRows { db[row] += sums[row] }
            }
          }
        }
      }
    }

    let output = result.slice(axis: 1, 0..<time)
    let lastHidden = result.slice(axis: 1, (time - 1)..<time).reshaped([batch, hidden])
    let lastCell = result.slice(axis: 1, time..<packedTime).reshaped([batch, hidden])
    return (output, lastHidden, lastCell)
  }
}

/// sums[r] = sum over c of matrix[r * columns + c], each row added left to right as a plain loop adds
/// it (so the results are the same), but eight rows at a time: eight independent chains of additions
/// keep the adder busy where one chain waits on each addition's latency.
private func sumRows(of matrix: UnsafePointer<Float>, rows: Int, columns: Int, into sums: UnsafeMutablePointer<Float>) {
  var row = 0
  while row + 8 <= rows {
    let line = matrix + row * columns
    var (s0, s1, s2, s3, s4, s5, s6, s7): (Float, Float, Float, Float, Float, Float, Float, Float) = (
      0, 0, 0, 0, 0, 0, 0, 0
    )
    for column in 0..<columns {
      s0 += line[column]
      s1 += line[columns + column]
      s2 += line[2 * columns + column]
      s3 += line[3 * columns + column]
      s4 += line[4 * columns + column]
      s5 += line[5 * columns + column]
      s6 += line[6 * columns + column]
      s7 += line[7 * columns + column]
    }
    (sums[row], sums[row + 1], sums[row + 2], sums[row + 3]) = (s0, s1, s2, s3)
    (sums[row + 4], sums[row + 5], sums[row + 6], sums[row + 7]) = (s4, s5, s6, s7)
    row += 8
  }
  while row < rows {
    let line = matrix + row * columns
    var total: Float = 0
    for column in 0..<columns { total += line[column] }
    sums[row] = total
    row += 1
  }
}
